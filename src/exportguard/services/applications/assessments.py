"""Assessment under EIPA s.7.3 / s.7.4, departmental advice, and the decision (approve or deny)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import AdviceRecord, Application, Assessment, AssessmentFinding, Decision
from exportguard.domain import assessment as rules
from exportguard.domain.access import Action, Actor, may, require
from exportguard.domain.applications import THE_APPLICATION, ApplicationState
from exportguard.domain.applications import ApplicationCommand as Cmd
from exportguard.domain.assessment import Advice, Consideration, DenialReason, Recommendation, Risk
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.chronology import check_not_before
from exportguard.domain.errors import IllegalTransition
from exportguard.domain.reference import is_military
from exportguard.services.applications import chronology
from exportguard.services.applications.commands import load_application, transition
from exportguard.services.kernel.common import Input, NonEmpty, View
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.parties.diversion_flags import FlagView, flags_for_application
from exportguard.services.policy import determination


class FindingInput(Input):
    consideration: Consideration
    risk: Risk
    residual_risk: Risk | None = Field(default=None, description="After mitigation; defaults to risk")
    rationale: str
    evidence: list[str] = []


class AssessmentInput(Input):
    findings: list[FindingInput]
    mitigating_measures: list[str] = []
    diversion_risk: Risk | None = None
    diversion_rationale: str = ""
    recommendation: Recommendation | None = None
    recommendation_rationale: str = ""


class FindingView(View):
    consideration: str
    risk: str
    residual_risk: str
    rationale: str
    evidence: list[str]


class AdviceView(View):
    department: str
    advisor: str
    advice: str
    conditions: list[str]
    rationale: str
    given_on: date


class DecisionView(View):
    outcome: str
    decided_by: str
    decided_by_role: str
    decided_on: date
    legal_basis: str
    justification: str
    reasons: list[str]
    policy_exception: dict[str, Any] | None


class AssessmentView(View):
    application_id: int
    findings: list[FindingView] = []
    mitigating_measures: list[str] = []
    diversion_risk: str | None = None
    diversion_rationale: str = ""
    recommendation: str | None = None
    recommendation_rationale: str = ""
    assessed_by: str | None = None
    residual_substantial: list[str] = []
    advice: list[AdviceView] = []
    decisions: list[DecisionView] = []
    # ATT Art. 11(2): a diversion flag raised by an investigation is weighed in every later assessment.
    diversion_flags: list[FlagView] = []


def _require_under_review(app: Application, command: str) -> None:
    if app.state != ApplicationState.UNDER_REVIEW.value:
        raise IllegalTransition(THE_APPLICATION(), app.state, command)


def record_assessment(uow: UnitOfWork, application_id: int, data: AssessmentInput) -> AssessmentView:
    uow.require(Action.ASSESS_APPLICATION)
    session = uow.session
    app = load_application(session, uow.actor, application_id, lock=True)
    _require_under_review(app, "assess")
    findings = [
        rules.Finding(f.consideration, f.risk, f.residual_risk or f.risk, f.rationale, tuple(f.evidence))
        for f in data.findings
    ]
    for n, finding in enumerate(findings):
        rules.validate_finding(finding, field=f"findings[{n}]")
    before = assessment_view(session, app.id).model_dump(mode="json")
    row = session.scalar(select(Assessment).where(Assessment.application_id == app.id))
    if row is None:
        row = Assessment(application_id=app.id)
        session.add(row)
    row.findings = [
        AssessmentFinding(
            consideration=f.consideration.value,
            risk=f.risk.value,
            residual_risk=f.residual_risk.value,
            rationale=f.rationale,
            evidence=list(f.evidence),
        )
        for f in findings
    ]
    row.mitigating_measures = list(data.mitigating_measures)
    row.diversion_risk = data.diversion_risk.value if data.diversion_risk else None
    row.diversion_rationale = data.diversion_rationale
    row.recommendation = data.recommendation.value if data.recommendation else None
    row.recommendation_rationale = data.recommendation_rationale
    row.assessed_by, row.updated_at = uow.actor.principal, uow.clock.now()
    session.flush()
    view = assessment_view(session, app.id)
    view.diversion_flags = flags_for_application(session, uow.actor, app.id, uow.clock.today())
    uow.record(
        AuditEntry(
            command=AuditCommand.ASSESS_APPLICATION,
            subject_type="application",
            subject_id=app.id,
            subject_ref=f"{app.reference}/v{app.version}",
            legal_basis="EIPA s.7.3, s.7.4",
            reason=data.recommendation_rationale or "assessment recorded",
            effective_date=uow.clock.today(),
            before=before,
            after=view.model_dump(mode="json"),
        )
    )
    uow.commit()
    return view


class AdviceInput(Input):
    department: NonEmpty
    advice: Advice
    conditions: list[str] = []
    rationale: NonEmpty
    given_on: date | None = None


def give_advice(uow: UnitOfWork, application_id: int, data: AdviceInput) -> AssessmentView:
    uow.require(Action.GIVE_ADVICE)
    session = uow.session
    app = load_application(session, uow.actor, application_id, lock=True)
    _require_under_review(app, "advise on")
    day = data.given_on or uow.clock.today()
    session.add(
        AdviceRecord(
            application_id=app.id,
            department=data.department,
            advisor=uow.actor.principal,
            advice=data.advice.value,
            conditions=data.conditions,
            rationale=data.rationale,
            given_on=day,
        )
    )
    session.flush()
    uow.record(
        AuditEntry(
            command=AuditCommand.GIVE_ADVICE,
            subject_type="application",
            subject_id=app.id,
            subject_ref=f"{app.reference}/v{app.version}",
            legal_basis="EIPA s.7 (interdepartmental consultation)",
            reason=data.rationale,
            effective_date=day,
            before=None,
            after=data.model_dump(mode="json"),
        )
    )
    uow.commit()
    return assessment_view(session, app.id)


class ApprovalInput(Input):
    justification: NonEmpty
    legal_basis: str = "EIPA s.7(1), s.7.3, s.7.4"
    effective_date: date | None = None
    policy_exception: dict[str, Any] | None = None


class DenialInput(Input):
    reasons: list[DenialReason]
    justification: NonEmpty
    legal_basis: str = "EIPA s.7.4"
    effective_date: date | None = None


def approve_application(uow: UnitOfWork, application_id: int, data: ApprovalInput) -> AssessmentView:
    uow.require(Action.DECIDE_APPLICATION)
    session = uow.session
    app = load_application(session, uow.actor, application_id, lock=True)
    _require_under_review(app, Cmd.APPROVE.value)
    # Issue 11: before policy is judged on the decision's date, that date must follow the history.
    check_not_before(chronology.last_act(session, app), data.effective_date or uow.clock.today())
    row = session.scalar(select(Assessment).where(Assessment.application_id == app.id))
    findings = (
        []
        if row is None
        else [
            rules.Finding(Consideration(f.consideration), Risk(f.risk), Risk(f.residual_risk), f.rationale)
            for f in row.findings
        ]
    )
    advice = {
        a.department: Advice(a.advice)
        for a in session.scalars(select(AdviceRecord).where(AdviceRecord.application_id == app.id))
    }
    rules.check_can_approve(
        findings,
        military=any(is_military(line.item_code) for line in app.lines),
        diversion_risk=Risk(row.diversion_risk) if row and row.diversion_risk else None,
        advice=advice,
    )
    # Destination policy on the decision's date: embargo and moratorium block approval; a presumptive
    # denial needs a named exception ground, a justification and the authority the measure names.
    exception = determination.check_approval(
        session, app, data.policy_exception, uow.actor.role, data.effective_date or uow.clock.today()
    )
    return _decide(
        uow,
        app,
        outcome="approve",
        command=Cmd.APPROVE,
        justification=data.justification,
        legal_basis=data.legal_basis,
        effective_date=data.effective_date,
        reasons=[],
        policy_exception=exception,
    )


def deny_application(uow: UnitOfWork, application_id: int, data: DenialInput) -> AssessmentView:
    uow.require(Action.DECIDE_APPLICATION)
    app = load_application(uow.session, uow.actor, application_id, lock=True)
    _require_under_review(app, Cmd.DENY.value)
    rules.check_denial_reasons(data.reasons)
    return _decide(
        uow,
        app,
        outcome="deny",
        command=Cmd.DENY,
        justification=data.justification,
        legal_basis=data.legal_basis,
        effective_date=data.effective_date,
        reasons=[r.value for r in data.reasons],
        policy_exception=None,
    )


def _decide(
    uow: UnitOfWork,
    app: Application,
    *,
    outcome: str,
    command: Cmd,
    justification: str,
    legal_basis: str,
    effective_date: date | None,
    reasons: list[str],
    policy_exception: dict[str, Any] | None,
) -> AssessmentView:
    day = effective_date or uow.clock.today()
    uow.session.add(
        Decision(
            application_id=app.id,
            outcome=outcome,
            decided_by=uow.actor.principal,
            decided_by_role=uow.actor.role.value,
            decided_on=day,
            legal_basis=legal_basis,
            justification=justification,
            reasons=reasons,
            policy_exception=policy_exception,
            recorded_at=uow.clock.now(),
        )
    )
    transition(
        uow,
        app,
        command,
        effective_date=day,
        reason=justification,
        legal_basis=legal_basis,
        extra={"reasons": reasons, "policy_exception": policy_exception},
    )
    uow.commit()
    return assessment_view(uow.session, app.id)


def read_assessment(
    session: Session, actor: Actor, application_id: int, today: date | None = None
) -> AssessmentView:
    """The assessment, advice and decisions, for those who may read the application."""
    require(actor, Action.READ_APPLICATIONS)
    load_application(session, actor, application_id)  # another organisation's application is a 404
    view = assessment_view(session, application_id)
    if not may(actor.role, Action.READ_ASSESSMENT):
        return applicants_part(view)
    view.diversion_flags = flags_for_application(session, actor, application_id, today)
    return view


def applicants_part(view: AssessmentView) -> AssessmentView:
    """What the applicant is told: each decision, its date, legal basis, reasons (EIPA s.7.3: a
    refusal says why) and justification, not the findings, mitigation, recommendation, departmental
    advice or why a policy's presumption was set aside, which are the government's deliberation."""
    decisions = [
        d.model_copy(update={"justification": "", "policy_exception": None}) if d.policy_exception else d
        for d in view.decisions
    ]
    return AssessmentView(application_id=view.application_id, decisions=decisions)


def assessment_view(session: Session, application_id: int) -> AssessmentView:
    row = session.scalar(select(Assessment).where(Assessment.application_id == application_id))
    advice = [
        AdviceView.model_validate(a)
        for a in session.scalars(
            select(AdviceRecord)
            .where(AdviceRecord.application_id == application_id)
            .order_by(AdviceRecord.id)
        )
    ]
    decisions = [
        DecisionView.model_validate(d)
        for d in session.scalars(
            select(Decision).where(Decision.application_id == application_id).order_by(Decision.id)
        )
    ]
    if row is None:
        return AssessmentView(application_id=application_id, advice=advice, decisions=decisions)
    findings = [FindingView.model_validate(f) for f in row.findings]
    return AssessmentView(
        application_id=application_id,
        findings=findings,
        mitigating_measures=row.mitigating_measures,
        diversion_risk=row.diversion_risk,
        diversion_rationale=row.diversion_rationale,
        recommendation=row.recommendation,
        recommendation_rationale=row.recommendation_rationale,
        assessed_by=row.assessed_by,
        residual_substantial=[f.consideration for f in findings if f.residual_risk == Risk.SUBSTANTIAL.value],
        advice=advice,
        decisions=decisions,
    )
