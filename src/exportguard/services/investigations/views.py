"""What an investigation shows: its whole story in date order, and the case's questions answered."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import (
    Allegation,
    Consultation,
    EndUseAssurance,
    Investigation,
    InvestigationAssignment,
    InvestigationQuestion,
    MinisterialDecision,
    RecommendedAction,
)
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.investigations import ActionState, TimelineEntry, timeline
from exportguard.services.investigations.actions import ActionView, action_view
from exportguard.services.investigations.allegations import AllegationView, allegation_view
from exportguard.services.investigations.assurances import AssuranceView, assurance_view
from exportguard.services.investigations.commands import load_investigation
from exportguard.services.investigations.evidence import EvidenceView, evidence_of
from exportguard.services.kernel.common import View


class QuestionView(View):
    number: int
    text: str
    asked_on: date
    asked_by: str
    finding: str | None
    rationale: str | None
    found_on: date | None
    found_by: str | None


class ConsultationView(View):
    id: int
    kind: str
    addressee: str
    request: str
    requested_on: date
    state: str
    response: str | None
    responded_on: date | None


class EventView(View):
    on: date
    kind: str
    summary: str
    by: str
    ref: str


class InvestigationSummary(View):
    reference: str
    title: str
    state: str
    opened_on: date
    outcome: str | None


class InvestigationView(InvestigationSummary):
    opened_by: str
    closed_on: date | None
    outcome_summary: str | None
    investigators: list[str]
    allegations: list[AllegationView]
    questions: list[QuestionView]
    consultations: list[ConsultationView]
    evidence: list[EvidenceView]
    actions: list[ActionView]
    assurances_breached: list[AssuranceView]
    timeline: list[EventView]


def _summary(inv: Investigation) -> InvestigationSummary:
    return InvestigationSummary(
        reference=inv.reference,
        title=inv.title,
        state=inv.state,
        opened_on=inv.opened_on,
        outcome=inv.outcome,
    )


def list_investigations(session: Session, actor: Actor) -> list[InvestigationSummary]:
    require(actor, Action.READ_INVESTIGATIONS)
    return [
        _summary(i) for i in session.scalars(select(Investigation).order_by(Investigation.opened_on.desc()))
    ]


def _story(  # noqa: PLR0917 - the parts of one record, gathered by get_investigation just below
    inv: Investigation,
    allegations: list[AllegationView],
    assigned: list[InvestigationAssignment],
    questions: list[QuestionView],
    consultations: list[ConsultationView],
    evidence: list[tuple[EvidenceView, datetime, str]],
    actions: list[ActionView],
    breached: list[AssuranceView],
    acts: dict[str, MinisterialDecision],
) -> list[TimelineEntry]:
    out = [
        TimelineEntry(
            inv.opened_on, "opened", f"investigation opened: {inv.title}", inv.opened_by, inv.reference
        )
    ]
    for a in allegations:
        out.append(
            TimelineEntry(
                a.received_on,
                "allegation",
                f"allegation from {a.source_name} ({a.source_kind}): {a.claim}",
                a.recorded_by,
                a.reference,
            )
        )
    out += [
        TimelineEntry(x.assigned_on, "assigned", f"{x.investigator} assigned", x.assigned_by)
        for x in assigned
    ]
    for q in questions:
        out.append(TimelineEntry(q.asked_on, "question", f"question {q.number}: {q.text}", q.asked_by))
        if q.finding and q.found_on:
            out.append(
                TimelineEntry(
                    q.found_on,
                    "finding",
                    f"question {q.number}: {q.finding}. {q.rationale}",
                    q.found_by or "",
                )
            )
    for item, at, by in evidence:
        what = item.url if item.kind == "link" else f"{item.filename} ({item.media_type}, {item.size} bytes)"
        out.append(
            TimelineEntry(
                at.date(), "evidence", f"evidence {item.id}: {what} sha256 {item.sha256[:16]}...", by
            )
        )
    for c in consultations:
        out.append(
            TimelineEntry(c.requested_on, "consultation", f"request to {c.addressee}: {c.request}", "")
        )
        if c.responded_on:
            word = "refused to answer" if c.state == "refused" else "answered"
            out.append(TimelineEntry(c.responded_on, "response", f"{c.addressee} {word}: {c.response}", ""))
    for b in breached:
        if b.breached_on:
            out.append(
                TimelineEntry(
                    b.breached_on,
                    "assurance_breached",
                    f"end-use assurance {b.reference} ({b.form}, {b.given_by}) found breached",
                    "",
                    b.reference,
                )
            )
    for x in actions:
        out.append(
            TimelineEntry(
                x.recommended_on,
                "recommended",
                f"recommended: {x.command} {', '.join(x.permits)}",
                x.recommended_by,
            )
        )
        if x.state == ActionState.EXECUTED.value and x.done_on and x.decision_ref:
            act = acts.get(x.decision_ref)
            done = f" ({act.permit_count} permit(s))" if act else ""
            out.append(
                TimelineEntry(
                    x.done_on,
                    "executed",
                    f"executed: {x.command}{done} under {x.decision_ref}",
                    x.done_by or "",
                    x.decision_ref,
                )
            )
        elif x.state == ActionState.WITHDRAWN.value and x.done_on:
            out.append(TimelineEntry(x.done_on, "withdrawn", f"withdrawn: {x.command}", x.done_by or ""))
    if inv.closed_on:
        out.append(
            TimelineEntry(
                inv.closed_on, "closed", f"closed: {inv.outcome}. {inv.outcome_summary}", inv.closed_by or ""
            )
        )
    return timeline(out)


def get_investigation(session: Session, actor: Actor, ref: str) -> InvestigationView:
    require(actor, Action.READ_INVESTIGATIONS)
    inv = load_investigation(session, ref)
    allegations = [
        allegation_view(session, a)
        for a in session.scalars(
            select(Allegation).where(Allegation.investigation_id == inv.id).order_by(Allegation.id)
        )
    ]
    assigned = list(
        session.scalars(
            select(InvestigationAssignment)
            .where(InvestigationAssignment.investigation_id == inv.id)
            .order_by(InvestigationAssignment.id)
        )
    )
    questions = [
        QuestionView.model_validate(q)
        for q in session.scalars(
            select(InvestigationQuestion)
            .where(InvestigationQuestion.investigation_id == inv.id)
            .order_by(InvestigationQuestion.number)
        )
    ]
    consultations = [
        ConsultationView.model_validate(c)
        for c in session.scalars(
            select(Consultation).where(Consultation.investigation_id == inv.id).order_by(Consultation.id)
        )
    ]
    evidence = evidence_of(session, investigation_id=inv.id)
    actions = [
        action_view(a, inv)
        for a in session.scalars(
            select(RecommendedAction)
            .where(RecommendedAction.investigation_id == inv.id)
            .order_by(RecommendedAction.id)
        )
    ]
    breached = [
        assurance_view(session, a)
        for a in session.scalars(
            select(EndUseAssurance)
            .where(EndUseAssurance.breach_source.like(f"{inv.reference}%"))
            .order_by(EndUseAssurance.id)
        )
    ]
    refs = [a.decision_ref for a in actions if a.decision_ref]
    acts = {
        d.reference: d
        for d in session.scalars(select(MinisterialDecision).where(MinisterialDecision.reference.in_(refs)))
    }
    story = _story(inv, allegations, assigned, questions, consultations, evidence, actions, breached, acts)
    return InvestigationView(
        **_summary(inv).model_dump(),
        opened_by=inv.opened_by,
        closed_on=inv.closed_on,
        outcome_summary=inv.outcome_summary,
        investigators=[a.investigator for a in assigned],
        allegations=allegations,
        questions=questions,
        consultations=consultations,
        evidence=[v for v, _, _ in evidence],
        actions=actions,
        assurances_breached=breached,
        timeline=[EventView(on=e.on, kind=e.kind, summary=e.summary, by=e.by, ref=e.ref) for e in story],
    )


class AllegationToAct(View):
    allegation: str
    source_name: str
    received_on: date
    investigation: str
    command: str
    decision_ref: str
    effective_date: date
    decided_by: str
    permits: list[str]


def acts_from_allegations(session: Session, actor: Actor) -> list[AllegationToAct]:
    """Which allegations led to which ministerial acts: allegation -> investigation -> executed act."""
    require(actor, Action.READ_INVESTIGATIONS)
    rows = session.execute(
        select(Allegation, Investigation, RecommendedAction, MinisterialDecision)
        .join(Investigation, Investigation.id == Allegation.investigation_id)
        .join(RecommendedAction, RecommendedAction.investigation_id == Investigation.id)
        .join(MinisterialDecision, MinisterialDecision.reference == RecommendedAction.decision_ref)
        .where(RecommendedAction.state == ActionState.EXECUTED.value)
        .order_by(MinisterialDecision.effective_date, Allegation.received_on, Allegation.id)
    )
    return [
        AllegationToAct(
            allegation=a.reference,
            source_name=a.source_name,
            received_on=a.received_on,
            investigation=inv.reference,
            command=d.command,
            decision_ref=d.reference,
            effective_date=d.effective_date,
            decided_by=d.decided_by,
            permits=list(act.permits),
        )
        for a, inv, act, d in rows
    ]
