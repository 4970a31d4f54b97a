"""Importing a sanctions list in the browser and reviewing its diff."""

from __future__ import annotations

from importlib.resources import files

from tests.api.conftest import Api
from tests.api.test_pages import sign_in

SAMPLES = files("exportguard").joinpath("data", "samples")


def _upload(api: Api, name: str, source: str = "un-consolidated", content: bytes | None = None):  # type: ignore[no-untyped-def]
    data = content if content is not None else SAMPLES.joinpath(name).read_bytes()
    return api.client.post(
        "/lists/import",
        data={"source": source},
        files=[("file", (name, data, "text/xml"))],
        follow_redirects=False,
    )


def test_import_then_review_the_diff(api: Api) -> None:
    sign_in(api.client, "officer")
    first = _upload(api, "consolidated-2020-09.xml")
    assert first.status_code == 303, first.text
    second = _upload(api, "consolidated.xml")
    page = api.client.get(second.headers["location"]).text
    assert "Imported as snapshot" in page
    diff_link = page.split('href="/lists/diff?')[1].split('"')[0].replace("&amp;", "&")
    diff = api.client.get(f"/lists/diff?{diff_link}").text
    for name in (
        "BLUE HORIZON DRONE WORKS",
        "IVAN PETROVICH SOKOLOV",
        "CASPIAN DUAL TECHNOLOGIES LTD",
        "SAMIRA HADDAD KARIMI",
    ):
        assert name in diff
    again = _upload(api, "consolidated.xml")
    assert "Unchanged: these files are snapshot" in api.client.get(again.headers["location"]).text


def test_a_malformed_file_names_its_problem_and_loads_nothing(api: Api) -> None:
    sign_in(api.client, "officer")
    bad = _upload(api, "consolidated.xml", content=b"<NOT_A_LIST/>")
    assert bad.status_code == 422
    assert "CONSOLIDATED_LIST" in bad.text
    assert "No list has been imported yet." in bad.text
    unknown = _upload(api, "consolidated.xml", source="nowhere")
    assert unknown.status_code == 422 and "unknown list" in unknown.text
    empty = api.client.post("/lists/import", data={"source": "un-consolidated"})
    assert empty.status_code == 422


def test_only_those_who_may_import_see_the_form(api: Api) -> None:
    sign_in(api.client, "auditor")
    assert "Import a list" not in api.client.get("/lists").text
    assert _upload(api, "consolidated.xml").status_code == 403
    sign_in(api.client, "director")
    assert "Import a list" in api.client.get("/lists").text
