"""The screening pages through the TestClient: review tasks and the disposition form, the lists
page and its diffs, and who sees them (navigation and 403)."""

from __future__ import annotations

from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.api.test_screening import BAYKAR, entry, load, open_hit
from tests.factories import World
from tests.integration.services.investigations.test_diversion_flag import breach


def test_review_page_shows_the_match_and_records_a_disposition(api: Api, eg: ExportGuard, w: World) -> None:
    hit = open_hit(api, eg, w)
    sign_in(api.client, "officer", next_page="/screening")
    page = api.client.get("/screening")
    assert page.status_code == 200
    for text in ("Baykar Makina", BAYKAR, "baykar=baykar", "custom, entry D-1", "1 open review task"):
        assert text in page.text, text
    form = f"/screening/hits/{hit['id']}/disposition"
    empty = api.client.post(form, data={"disposition": "false_positive", "reason": " "})
    assert empty.status_code == 422
    assert "There is a problem" in empty.text and 'aria-invalid="true"' in empty.text
    done = api.client.post(
        form, data={"disposition": "false_positive", "reason": "other company"}, follow_redirects=False
    )
    assert (done.status_code, done.headers["location"]) == (303, f"/screening?recorded={hit['id']}")
    after = api.client.get(done.headers["location"])
    assert "Disposition recorded" in after.text and "No open review tasks" in after.text
    again = api.client.post(form, data={"disposition": "true_match", "reason": "x"})
    assert again.status_code == 409 and "already disposed" in again.text


def test_a_form_from_another_site_is_refused(api: Api, eg: ExportGuard, w: World) -> None:
    hit = open_hit(api, eg, w)
    sign_in(api.client, "officer")
    response = api.client.post(
        f"/screening/hits/{hit['id']}/disposition",
        data={"disposition": "false_positive", "reason": "x"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert api.get("/screening/hits", "officer").json()[0]["status"] == "open"


def test_lists_page_and_diff(api: Api, eg: ExportGuard) -> None:
    first = load(eg, entry("1", "Alpha Trading"), entry("2", "Beta Shipping"))
    second = load(eg, entry("1", "Alpha Trading"), entry("3", "Gamma Metals"))
    sign_in(api.client, "auditor")
    page = api.client.get("/lists")
    assert page.status_code == 200
    assert f'href="/lists/diff?from={first.snapshot_id}&amp;to={second.snapshot_id}"' in page.text
    assert second.content_hash[:16] in page.text
    diff = api.client.get(f"/lists/diff?from={first.snapshot_id}&to={second.snapshot_id}")
    assert diff.status_code == 200
    assert "1 added, 0 changed, 1 removed" in diff.text and "Gamma Metals" in diff.text


def test_navigation_and_access_follow_the_table(api: Api) -> None:
    sign_in(api.client, "minister")
    assert 'href="/screening"' in api.client.get("/permits").text
    sign_in(api.client, "exporter")
    assert 'href="/screening"' not in api.client.get("/permits").text
    assert api.client.get("/screening").status_code == 403
    assert api.client.get("/lists").status_code == 403
    assert (
        api.client.post("/screening/hits/1/disposition", data={"disposition": "true_match"}).status_code
        == 403
    )


def test_a_screening_shows_the_diversion_flags_on_the_party_with_their_source(
    api: Api, eg: ExportGuard, w: World
) -> None:
    """A finding that an end-use assurance was breached flagged the consignee and its country: the
    screening's result, the review tasks (API and page) and the hit show it, with its source."""
    assurance, investigation = breach(eg, w)
    hit = open_hit(api, eg, w)
    on_screening = {(f["subject"], f["party"] or f["country"]) for f in hit["diversion_flags"]}
    assert on_screening == {("consignee", "Baykar Makina"), ("destination", "TR")}
    assert all(investigation in f["source"] and assurance in f["source"] for f in hit["diversion_flags"])
    (task,) = api.get("/screening/hits", "director").json()
    assert task["diversion_flags"] == hit["diversion_flags"]
    assert (
        api.get(f"/screening/hits/{hit['id']}", "auditor").json()["diversion_flags"] == hit["diversion_flags"]
    )
    sign_in(api.client, "officer", next_page="/screening")
    page = api.client.get("/screening").text
    assert "Diversion flags" in page and page.count("found breached") == 2
    assert "Signalements de détournement" in api.client.get("/screening?lang=fr").text


def test_a_party_without_a_flag_is_screened_without_one(api: Api, eg: ExportGuard, w: World) -> None:
    hit = open_hit(api, eg, w)
    assert hit["diversion_flags"] == []
    sign_in(api.client, "officer", next_page="/screening")
    page = api.client.get("/screening").text
    assert "Diversion flag" not in page and "found breached" not in page
