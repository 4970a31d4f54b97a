"""Assessment (EIPA s.7.3, s.7.4), departmental advice and the decision on an application."""

from __future__ import annotations

from fastapi import APIRouter

from exportguard.services.applications import assessments
from exportguard.services.applications.assessments import AssessmentView
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System
from exportguard.web.params import RecordIdPath

router = APIRouter(prefix="/applications/{application_id}", tags=["assessment and decision"])


@router.get("/assessment", response_model=AssessmentView)
def get_assessment(system: System, actor: ApiActor, application_id: RecordIdPath) -> AssessmentView:
    with system.read() as session:
        return assessments.read_assessment(session, actor, application_id, system.clock.today())


@router.put("/assessment", response_model=AssessmentView)
def record_assessment(
    system: System, actor: ApiActor, application_id: RecordIdPath, body: assessments.AssessmentInput
) -> AssessmentView:
    """Record the officer's findings on the six EIPA s.7.3(1) considerations (replaces the last)."""
    return run(system, actor, assessments.record_assessment, application_id, body)


@router.post("/advice", response_model=AssessmentView)
def give_advice(
    system: System, actor: ApiActor, application_id: RecordIdPath, body: assessments.AdviceInput
) -> AssessmentView:
    return run(system, actor, assessments.give_advice, application_id, body)


@router.post("/approve", response_model=AssessmentView)
def approve(
    system: System, actor: ApiActor, application_id: RecordIdPath, body: assessments.ApprovalInput
) -> AssessmentView:
    """Refused (409) while a substantial risk remains after mitigation (EIPA s.7.4)."""
    return run(system, actor, assessments.approve_application, application_id, body)


@router.post("/deny", response_model=AssessmentView)
def deny(
    system: System, actor: ApiActor, application_id: RecordIdPath, body: assessments.DenialInput
) -> AssessmentView:
    return run(system, actor, assessments.deny_application, application_id, body)
