"""Allegations and investigations over HTTP: the public form, access, evidence, the recommended act."""

from __future__ import annotations

from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.factories import World, issued

ALLEGATION = {
    "source_kind": "diaspora_organisation",
    "source_name": "Armenian National Committee of Canada",
    "claim": "A Wescam sensor was recovered from a TB2 shot down over Nagorno-Karabakh",
    "claimed_on": "2020-10-19",
    "concerns": [{"kind": "conflict", "value": "Nagorno-Karabakh"}, {"kind": "destination", "value": "TR"}],
    "contact": "press@example.org",
}


def test_public_form_needs_no_account_and_returns_only_the_receipt(api: Api) -> None:
    r = api.post("/public/allegations", None, json=ALLEGATION)
    assert r.status_code == 201, r.text
    assert set(r.json()) == {"reference", "received_on", "message"}
    other = api.post("/public/allegations", None, json={**ALLEGATION, "source_name": "Someone else"}).json()
    # Nothing about any allegation, the sender's own included, can be read back without a role.
    for path in (
        "/allegations",
        f"/allegations/{r.json()['reference']}",
        f"/allegations/{other['reference']}",
    ):
        assert_problem(api.get(path, None), 401)
        assert_problem(api.get(path, "exporter"), 403)
    listed = api.get("/allegations", "officer").json()
    assert {a["source_name"] for a in listed} == {"Armenian National Committee of Canada", "Someone else"}
    assert all(a["from_public"] for a in listed)


def test_public_form_is_rate_limited_per_client(api: Api) -> None:
    for _ in range(5):
        assert api.post("/public/allegations", None, json=ALLEGATION).status_code == 201
    refused = api.post("/public/allegations", None, json=ALLEGATION)
    body = assert_problem(refused, 429)
    assert "try again in" in body["detail"] and int(refused.headers["retry-after"]) > 0
    assert len(api.get("/allegations", "officer").json()) == 5  # nothing half-written


def test_bad_public_input_names_the_field(api: Api) -> None:
    assert_problem(
        api.post("/public/allegations", None, json={**ALLEGATION, "source_kind": "rumour"}),
        422,
        "source_kind",
    )
    bad = {**ALLEGATION, "concerns": [{"kind": "destination", "value": "ZZ"}]}
    assert_problem(api.post("/public/allegations", None, json=bad), 422, "concerns[0].value")
    assert_problem(api.post("/public/allegations", None, json={**ALLEGATION, "claim": " "}), 422, "claim")


def test_officer_to_minister_over_the_api(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=3)
    ref = api.post("/public/allegations", None, json=ALLEGATION).json()["reference"]
    assert_problem(
        api.post(f"/allegations/{ref}/open-investigation", "exporter", json={"title": "t", "reason": "r"}),
        403,
    )
    opened = api.post(
        f"/allegations/{ref}/open-investigation",
        "officer",
        json={"title": "Sensors in Nagorno-Karabakh", "reason": "credible", "investigators": ["officer"]},
    )
    assert opened.status_code == 201, opened.text
    inv = opened.json()["reference"]
    assert opened.json()["investigators"] == ["officer"]
    up = api.post(
        f"/investigations/{inv}/evidence",
        "officer",
        files={"file": ("wreck.pdf", b"%PDF-1.4\nwreckage photos\n", "application/pdf")},
    )
    assert up.status_code == 201, up.text
    again = api.post(
        f"/investigations/{inv}/evidence",
        "officer",
        files={"file": ("copy.pdf", b"%PDF-1.4\nwreckage photos\n", "application/pdf")},
    )
    assert again.json()["duplicate"] is True and again.json()["id"] == up.json()["id"]
    html = api.post(
        f"/investigations/{inv}/evidence",
        "officer",
        files={"file": ("x.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")},
    )
    assert_problem(html, 422, "file")
    got = api.get(f"/evidence/{up.json()['id']}/download", "officer")
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["x-content-type-options"] == "nosniff"
    assert_problem(api.get(f"/evidence/{up.json()['id']}/download", "exporter"), 403)
    api.post(f"/investigations/{inv}/questions", "officer", json={"text": "Were Canadian goods used?"})
    found = api.post(
        f"/investigations/{inv}/questions/1/finding",
        "officer",
        json={"finding": "yes", "rationale": "The sensor's serial plate"},
    )
    assert found.json()["state"] == "findings"
    act = api.post(
        f"/investigations/{inv}/actions",
        "officer",
        json={"command": "cancel", "permits": [permit.number], "reason": "contradicts assurances"},
    )
    assert act.status_code == 201, act.text
    action = act.json()["id"]
    assert_problem(api.post(f"/investigations/{inv}/actions/{action}/preview", "officer", json={}), 403)
    shown = api.post(f"/investigations/{inv}/actions/{action}/preview", "minister", json={}).json()
    assert [p["number"] for p in shown["permits"]] == [permit.number]
    done = api.post(
        f"/investigations/{inv}/actions/{action}/execute", "minister", json={"effective_date": "2021-04-12"}
    )
    assert done.status_code == 200, done.text
    assert api.get(f"/permits/{permit.id}", "officer").json()["state"] == "cancelled"
    led = api.get("/reports/allegations-to-acts", "auditor").json()
    assert [(x["allegation"], x["command"]) for x in led] == [(ref, "cancel")]
    story = api.get(f"/investigations/{inv}", "officer").json()["timeline"]
    assert [e["kind"] for e in story][:2] == ["allegation", "opened"] and story[-1]["kind"] == "executed"
    assert_problem(api.get(f"/investigations/{inv}", "exporter"), 403)
    assert_problem(api.get("/investigations/INV-1999-9999", "officer"), 404, "investigation")
