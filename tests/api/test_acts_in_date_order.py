"""Issue 11: acts in date order. A decision cannot precede the submission it decides, a permit its
approval, and no permit is issued while a measure forbids it; back-dating a permit's validity is a
reasoned retroactive permit (EIPA s.8.5) or nothing (both databases)."""

from __future__ import annotations

from typing import Any

from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.factories import World, approved, submitted


def _under_review(api: Api, eg: ExportGuard, w: World) -> int:
    app = submitted(eg, w)
    assert api.post(f"/applications/{app.id}/begin-review", "officer").status_code == 200
    findings = [
        {"consideration": c, "risk": "low", "rationale": "reviewed"}
        for c in (
            "peace_and_security",
            "ihl",
            "ihrl",
            "terrorism",
            "organized_crime",
            "gender_based_violence",
        )
    ]
    body = {"findings": findings, "diversion_risk": "low", "recommendation": "issue"}
    assert api.put(f"/applications/{app.id}/assessment", "officer", json=body).status_code == 200
    return app.id


def test_an_approval_dated_before_the_submission_is_refused(api: Api, eg: ExportGuard, w: World) -> None:
    app_id = _under_review(api, eg, w)
    before = api.get(f"/applications/{app_id}", "director").json()
    body = {"justification": "low risk", "effective_date": "2018-10-01"}
    problem = assert_problem(
        api.post(f"/applications/{app_id}/approve", "director", json=body), 409, "effective_date"
    )
    assert "2020-04-20" in problem["detail"]  # the submission it would precede
    after = api.get(f"/applications/{app_id}", "director").json()
    assert after["state"] == "under_review" and after["history"] == before["history"]
    assert (
        api.post(f"/applications/{app_id}/approve", "director", json={"justification": "ok"}).status_code
        == 200
    )


def _issue(api: Api, app_id: int, **fields: Any) -> Any:
    body = {
        "valid_from": "2020-05-15",
        "valid_to": "2021-06-30",
        "lines": [{"application_line_no": 1, "quantity": 1}],
    }
    return api.post(f"/applications/{app_id}/permits", "officer", json=body | fields)


def test_a_permit_issued_before_its_approval_is_refused(api: Api, eg: ExportGuard, w: World) -> None:
    app = approved(eg, w)  # approved on 2020-04-20
    r = _issue(api, app.id, issued_on="2020-04-19", valid_from="2020-04-19")
    assert_problem(r, 409, "issued_on")
    assert api.get(f"/permits?application_id={app.id}", "officer").json() == []


def test_no_permit_is_issued_while_a_moratorium_is_in_force(api: Api, eg: ExportGuard, w: World) -> None:
    app = approved(eg, w)
    freeze = {
        "key": "TR-FREEZE",
        "destination": "TR",
        "kind": "no_new_permits",
        "title": "No new permits",
        "legal_basis": "Ministerial statement",
        "effective_from": "2020-05-01",
    }
    assert api.post("/measures", "minister", json=freeze).status_code == 201
    problem = assert_problem(_issue(api, app.id, issued_on="2020-05-15"), 409, "issued_on")
    assert "no new permits" in problem["detail"]
    assert api.get(f"/permits?application_id={app.id}", "officer").json() == []
    # Before the freeze, the same permit is issued.
    r = _issue(api, app.id, issued_on="2020-04-25", valid_from="2020-04-25")
    assert r.status_code == 201, r.text


def test_back_dated_validity_is_a_reasoned_retroactive_permit(api: Api, eg: ExportGuard, w: World) -> None:
    app = approved(eg, w)
    early = {"issued_on": "2020-05-20", "valid_from": "2020-05-15"}
    assert_problem(_issue(api, app.id, **early), 422, "valid_from")
    assert_problem(_issue(api, app.id, **early, retroactive=True), 422, "retroactive_reason")
    assert_problem(_issue(api, app.id, issued_on="2020-05-15", retroactive=True, retroactive_reason="x"), 422)
    why = "goods shipped on 15 May under the Minister's oral authorisation"
    r = _issue(api, app.id, **early, retroactive=True, retroactive_reason=why)
    assert r.status_code == 201, r.text
    permit = r.json()
    assert permit["valid_from"] == "2020-05-15" and permit["issued_on"] == "2020-05-20"
    events = api.get(f"/audit/events?subject_type=permit&subject_id={permit['id']}", "auditor").json()
    issue = next(e for e in events if e["command"] == "issue_permit")
    assert "EIPA s.8.5" in issue["legal_basis"] and why in issue["reason"]
