"""Assessment and decision on a real database: s.7.4, authority to decide, denial reasons."""

from __future__ import annotations

import pytest

from exportguard.domain.assessment import Consideration, DenialReason, Risk
from exportguard.domain.errors import IllegalTransition, NotPermitted, SubstantialRisk
from exportguard.services.applications import assessments
from exportguard.services.applications import commands as applications
from exportguard.services.system import ExportGuard
from tests.factories import (
    ADVISOR,
    DIRECTOR,
    MINISTER,
    OFFICER,
    all_findings,
    sent_for_advice,
    submitted,
    world,
)


def _under_review(eg: ExportGuard) -> int:
    w = world(eg)
    app = submitted(eg, w)
    with eg.uow(OFFICER) as uow:
        applications.begin_review(uow, app.id)
    return app.id


def test_substantial_residual_risk_blocks_approval(eg: ExportGuard) -> None:
    app_id = _under_review(eg)
    findings = all_findings()
    findings[1] = assessments.FindingInput(
        consideration=Consideration.IHL, risk=Risk.SUBSTANTIAL, rationale="credible reports of misuse"
    )
    with eg.uow(OFFICER) as uow:
        view = assessments.record_assessment(uow, app_id, assessments.AssessmentInput(findings=findings))
    assert view.residual_substantial == ["ihl"]
    with pytest.raises(SubstantialRisk), eg.uow(MINISTER) as uow:
        assessments.approve_application(uow, app_id, assessments.ApprovalInput(justification="override"))
    with eg.read() as s:
        assert applications.load_application(s, OFFICER, app_id).state == "under_review"


def test_only_a_director_or_minister_decides(eg: ExportGuard) -> None:
    app_id = _under_review(eg)
    with eg.uow(OFFICER) as uow:
        assessments.record_assessment(uow, app_id, assessments.AssessmentInput(findings=all_findings()))
    for actor in (OFFICER, ADVISOR):
        with pytest.raises(NotPermitted), eg.uow(actor) as uow:
            assessments.approve_application(uow, app_id, assessments.ApprovalInput(justification="x"))
    with eg.uow(DIRECTOR) as uow:
        view = assessments.approve_application(
            uow, app_id, assessments.ApprovalInput(justification="low risk")
        )
    assert [(d.outcome, d.decided_by_role) for d in view.decisions] == [("approve", "director")]


def test_advice_is_recorded_with_conditions(eg: ExportGuard) -> None:
    app_id = _under_review(eg)
    sent_for_advice(eg, app_id)
    with eg.uow(ADVISOR) as uow:
        view = assessments.give_advice(
            uow,
            app_id,
            assessments.AdviceInput(
                department="National Defence",
                advice="approve_with_conditions",  # type: ignore[arg-type]
                conditions=["end-use assurance from the Turkish MoD"],
                rationale="NATO ally",
            ),
        )
    assert [(a.department, a.advice, a.conditions) for a in view.advice] == [
        ("National Defence", "approve_with_conditions", ["end-use assurance from the Turkish MoD"])
    ]


def test_denial_records_its_reasons(eg: ExportGuard) -> None:
    app_id = _under_review(eg)
    with eg.uow(MINISTER) as uow:
        view = assessments.deny_application(
            uow,
            app_id,
            assessments.DenialInput(
                reasons=[DenialReason.DIVERSION, DenialReason.PEACE_AND_SECURITY],
                justification="diversion risk",
            ),
        )
    assert view.decisions[0].reasons == ["diversion", "peace_and_security"]
    with pytest.raises(IllegalTransition), eg.uow(MINISTER) as uow:
        assessments.approve_application(uow, app_id, assessments.ApprovalInput(justification="changed mind"))
