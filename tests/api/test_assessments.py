"""Assessment, advice and decision over the API (EIPA s.7.3, s.7.4)."""

from __future__ import annotations

from typing import Any

from exportguard.domain.assessment import Consideration
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.factories import World, approved, sent_for_advice, submitted


def _under_review(api: Api, eg: ExportGuard, w: World) -> int:
    app = submitted(eg, w)
    assert api.post(f"/applications/{app.id}/begin-review", "officer").status_code == 200
    return app.id


def _findings(residual: str = "low") -> list[dict[str, Any]]:
    return [
        {
            "consideration": c.value,
            "risk": residual,
            "residual_risk": residual,
            "rationale": f"assessed {c.value}",
        }
        for c in Consideration
    ]


def test_assess_advise_approve_then_new_version(api: Api, eg: ExportGuard, w: World) -> None:
    app_id = _under_review(api, eg, w)
    assessed = api.put(
        f"/applications/{app_id}/assessment",
        "officer",
        json={"findings": _findings(), "diversion_risk": "low", "recommendation": "issue"},
    )
    assert assessed.status_code == 200, assessed.text
    sent_for_advice(eg, app_id)  # an advisor sees only a case sent for advice
    advice = api.post(
        f"/applications/{app_id}/advice",
        "advisor",
        json={"department": "National Defence", "advice": "no_objection", "rationale": "NATO ally"},
    )
    assert advice.json()["advice"][0]["department"] == "National Defence"
    decided = api.post(
        f"/applications/{app_id}/approve",
        "minister",
        json={"justification": "NATO cooperation", "policy_exception": {"policy": "Notice 992"}},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["decisions"][0]["decided_by"] == "minister"
    assert len(api.get(f"/applications/{app_id}/assessment", "officer").json()["findings"]) == 6
    # The applicant is told the decision, not the s.7.3 findings, the advice or the justification.
    told = api.get(f"/applications/{app_id}/assessment", "exporter").json()
    assert (told["findings"], told["advice"], told["recommendation"]) == ([], [], None)
    assert [(d["outcome"], d["justification"], d["policy_exception"]) for d in told["decisions"]] == [
        ("approve", "", None)
    ]
    again = api.post(f"/applications/{app_id}/new-version", "exporter", json={"reason": "more units"})
    assert again.status_code == 201, again.text
    assert (again.json()["version"], again.json()["state"]) == (2, "draft")


def test_substantial_residual_risk_blocks_approval(api: Api, eg: ExportGuard, w: World) -> None:
    app_id = _under_review(api, eg, w)
    put = api.put(
        f"/applications/{app_id}/assessment", "officer", json={"findings": _findings("substantial")}
    )
    assert put.json()["residual_substantial"] == [c.value for c in Consideration]
    body = assert_problem(
        api.post(f"/applications/{app_id}/approve", "director", json={"justification": "x"}), 409
    )
    assert "s.7.4" in body["title"]
    assert api.get(f"/applications/{app_id}", "officer").json()["state"] == "under_review"


def test_deny_records_reasons(api: Api, eg: ExportGuard, w: World) -> None:
    app_id = _under_review(api, eg, w)
    denied = api.post(
        f"/applications/{app_id}/deny", "director", json={"reasons": ["ihl"], "justification": "risk to IHL"}
    )
    assert denied.status_code == 200, denied.text
    assert denied.json()["decisions"][0]["reasons"] == ["ihl"]
    assert_problem(
        api.post(
            f"/applications/{app_id}/deny", "director", json={"reasons": ["whim"], "justification": "x"}
        ),
        422,
        "reasons.0",
    )


def test_only_deciding_roles_decide(api: Api, eg: ExportGuard, w: World) -> None:
    app_id = _under_review(api, eg, w)
    assert_problem(api.post(f"/applications/{app_id}/approve", "officer", json={"justification": "x"}), 403)
    assert_problem(api.put(f"/applications/{app_id}/assessment", "exporter", json={"findings": []}), 403)


def test_rival_exporter_cannot_read_the_assessment(api: Api, eg: ExportGuard, w: World) -> None:
    app = approved(eg, w)
    assert_problem(api.get(f"/applications/{app.id}/assessment", "rival"), 404)
