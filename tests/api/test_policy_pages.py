"""The measures, determination and ministerial-act pages through the TestClient (both databases)."""

from __future__ import annotations

from exportguard.demo.case import load_case_file
from exportguard.demo.loader import load_case
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import World, issued

SUSPEND_TR_GROUP_2 = {
    "command": "suspend",
    "destination": "TR",
    "item_group": "2",
    "effective_date": "2020-10-05",
}


def _case(eg: ExportGuard) -> None:
    """The Turkey case up to, not including, the ministerial acts: 29 Group 2 permits to TR."""
    load_case(eg, load_case_file().model_copy(update={"acts": [], "investigations": []}))


def test_measures_page_filters_and_shows_versions(api: Api, eg: ExportGuard) -> None:
    _case(eg)
    sign_in(api.client, "officer")
    page = api.client.get("/measures?destination=TR&as_of=2020-05-19")
    assert page.status_code == 200
    for text in ("TR-NTE-992", "presumptive denial", "Exception grounds", "Versions of TR-NTE-992"):
        assert text in page.text
    assert "1 measure<" in page.text
    every = api.client.get("/measures?destination=TR").text
    assert every.count("<article") >= 2
    only = api.client.get("/measures?destination=TR&kind=presumptive_denial").text
    assert only.count("<article") == 1
    bad = api.client.get("/measures?as_of=yesterday&kind=ban")
    assert bad.status_code == 422
    assert "There is a problem" in bad.text


def test_determination_page_shows_outcome_and_trace(api: Api, eg: ExportGuard) -> None:
    _case(eg)
    sign_in(api.client, "exporter")
    blank = api.client.get("/determination")
    assert blank.status_code == 200 and "Trace" not in blank.text
    found = api.client.get("/determination?items=2-15&destination=TR&on=2020-05-19&exporter_id=")
    assert found.status_code == 200, found.text
    for text in ("Needs an exception", "ECL s.2", "TR-NTE-992/v1", "presumptively denied", "minister"):
        assert text in found.text
    missing = api.client.get("/determination?destination=TR&on=2020-05-19")
    assert missing.status_code == 422
    assert "name at least one" in missing.text


def test_only_the_minister_and_director_see_and_may_confirm_acts(api: Api, eg: ExportGuard, w: World) -> None:
    issued(eg, w)
    sign_in(api.client, "officer")
    assert "/ministerial-acts" not in api.client.get("/permits").text
    assert api.client.get("/ministerial-acts").status_code == 403
    refused = api.client.post(
        "/ministerial-acts", data={**SUSPEND_TR_GROUP_2, "reason": "r", "decision_ref": "X-1"}
    )
    assert refused.status_code == 403
    sign_in(api.client, "director")
    assert 'href="/ministerial-acts"' in api.client.get("/permits").text
    assert api.client.get("/ministerial-acts").status_code == 200


def test_preview_then_confirm_suspends_as_of_the_effective_date(api: Api, eg: ExportGuard) -> None:
    _case(eg)
    sign_in(api.client, "minister")
    preview = api.client.get("/ministerial-acts", params=SUSPEND_TR_GROUP_2)
    assert preview.status_code == 200, preview.text
    assert "29 permits affected" in preview.text
    assert "Holders who will be notified" in preview.text
    form = {
        **SUSPEND_TR_GROUP_2,
        "reason": "Review of end use",
        "legal_basis": "EIPA s.10(1)",
        "decision_ref": "MIN-2020-10-05",
    }
    foreign = api.client.post("/ministerial-acts", data=form, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403
    no_reason = api.client.post("/ministerial-acts", data={**form, "reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    done = api.client.post("/ministerial-acts", data=form, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/ministerial-acts/MIN-2020-10-05")
    decision = api.client.get(done.headers["location"]).text
    assert "Suspend of 29 permits, effective 2020-10-05" in decision
    before = api.client.get("/permits?destination=TR&as_of=2020-10-04&status=suspended").text
    after = api.client.get("/permits?destination=TR&as_of=2020-10-05&status=suspended").text
    assert "No permits match" in before
    assert after.count("tag-suspended") == 29
    again = api.client.post("/ministerial-acts", data=form, follow_redirects=False)
    assert again.status_code == 303
