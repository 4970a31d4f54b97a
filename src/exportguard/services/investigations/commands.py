"""The investigation's named commands: open, assign, ask, consult, record answers and findings, close.

Each command is one row of the investigation's transition table (domain/investigations.py), runs in
one unit of work and writes its audit event there (STYLE 3, 5).
"""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportguard.db.models import (
    Allegation,
    Consultation,
    Investigation,
    InvestigationAssignment,
    InvestigationQuestion,
    Principal,
    RecommendedAction,
)
from exportguard.domain.access import Action
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import InvalidInput, NotFound, Problem
from exportguard.domain.investigations import (
    ActionState,
    AllegationCommand,
    AllegationState,
    ConsultationCommand,
    ConsultationKind,
    ConsultationState,
    Finding,
    InvestigationCommand,
    InvestigationState,
    Outcome,
    check_close,
    check_question_open,
    next_allegation_state,
    next_consultation_state,
    next_investigation_state,
)
from exportguard.services.investigations.allegations import ATT_11_4, OpenInput, load_allegation
from exportguard.services.kernel.common import Input, NonEmpty, record_id
from exportguard.services.kernel.unit_of_work import UnitOfWork

IC = InvestigationCommand


def load_investigation(session: Session, ref_or_id: str | int, *, lock: bool = False) -> Investigation:
    key = str(ref_or_id)
    stmt = select(Investigation).where(
        Investigation.id == record_id(key) if record_id(key) else Investigation.reference == key.upper()
    )
    found = session.scalar(stmt.with_for_update() if lock else stmt)
    if found is None:
        raise NotFound(f"no investigation {key}", [Problem("investigation", "not found")])
    return found


def step(uow: UnitOfWork, inv: Investigation, command: InvestigationCommand) -> tuple[str, str]:
    """Move the investigation by the table; returns the states before and after."""
    before = inv.state
    inv.state = next_investigation_state(InvestigationState(before), command).value
    return before, inv.state


def audit(
    uow: UnitOfWork,
    inv: Investigation,
    command: AuditCommand,
    reason: str,
    day: date,
    *,
    after: dict[str, object],
    before: dict[str, object] | None = None,
    basis: str = ATT_11_4,
) -> None:
    uow.record(
        AuditEntry(
            command=command,
            subject_type="investigation",
            subject_id=inv.id,
            subject_ref=inv.reference,
            legal_basis=basis,
            reason=reason,
            effective_date=day,
            before=before,
            after=after,
        )
    )


def _assign(uow: UnitOfWork, inv: Investigation, names: list[str], day: date) -> list[str]:
    session, added = uow.session, []
    for n, name in enumerate(names):
        if session.scalar(select(Principal.id).where(Principal.username == name)) is None:
            raise InvalidInput.of(f"investigators[{n}]", f"no principal named '{name}'")
        exists = session.scalar(
            select(InvestigationAssignment.id).where(
                InvestigationAssignment.investigation_id == inv.id,
                InvestigationAssignment.investigator == name,
            )
        )
        if exists is None:
            session.add(
                InvestigationAssignment(
                    investigation_id=inv.id,
                    investigator=name,
                    assigned_on=day,
                    assigned_by=uow.actor.principal,
                )
            )
            added.append(name)
    return added


def open_investigation(uow: UnitOfWork, allegation_ref: str | int, data: OpenInput) -> Investigation:
    """Triage: open an investigation on the allegation (or add it to an open one)."""
    uow.require(Action.TRIAGE_ALLEGATION)
    session = uow.session
    allegation = load_allegation(session, allegation_ref, lock=True)
    before = allegation.state
    allegation.state = next_allegation_state(
        AllegationState(before), AllegationCommand.OPEN_INVESTIGATION
    ).value
    day = data.on or uow.clock.today()
    if data.join:
        inv = load_investigation(session, data.join, lock=True)
        next_investigation_state(InvestigationState(inv.state), IC.ASSIGN)  # only while not closed
    else:
        inv = Investigation(
            reference=f"tmp-{uuid.uuid4().hex[:20]}",
            title=data.title,
            state=InvestigationState.OPENED.value,
            opened_on=day,
            opened_by=uow.actor.principal,
        )
        session.add(inv)
        session.flush()
        inv.reference = f"INV-{day.year}-{inv.id:04d}"
    allegation.investigation_id = inv.id
    allegation.triaged_by, allegation.triaged_on = uow.actor.principal, day
    assigned = _assign(uow, inv, data.investigators, day)
    uow.record(
        AuditEntry(
            command=AuditCommand.OPEN_INVESTIGATION,
            subject_type="allegation",
            subject_id=allegation.id,
            subject_ref=allegation.reference,
            legal_basis=ATT_11_4,
            reason=data.reason,
            effective_date=day,
            before={"state": before},
            after={"state": allegation.state, "investigation": inv.reference},
        )
    )
    audit(
        uow,
        inv,
        AuditCommand.OPEN_INVESTIGATION,
        data.reason,
        day,
        after={"allegation": allegation.reference, "state": inv.state, "investigators": assigned},
    )
    uow.commit()
    return inv


class AssignInput(Input):
    investigators: list[NonEmpty] = Field(min_length=1)
    on: date | None = None


def assign(uow: UnitOfWork, ref: str, data: AssignInput) -> Investigation:
    uow.require(Action.INVESTIGATE)
    inv = load_investigation(uow.session, ref, lock=True)
    step(uow, inv, IC.ASSIGN)
    day = data.on or uow.clock.today()
    added = _assign(uow, inv, data.investigators, day)
    audit(
        uow,
        inv,
        AuditCommand.ASSIGN_INVESTIGATORS,
        "investigators assigned",
        day,
        after={"investigators": added},
    )
    uow.commit()
    return inv


class QuestionInput(Input):
    text: NonEmpty = Field(max_length=2000, description='e.g. "Were Canadian goods used in the conflict?"')
    on: date | None = None


def ask_question(uow: UnitOfWork, ref: str, data: QuestionInput) -> InvestigationQuestion:
    uow.require(Action.INVESTIGATE)
    session = uow.session
    inv = load_investigation(session, ref, lock=True)
    before, after = step(uow, inv, IC.ASK_QUESTION)
    day = data.on or uow.clock.today()
    number = (
        session.scalar(
            select(func.max(InvestigationQuestion.number)).where(
                InvestigationQuestion.investigation_id == inv.id
            )
        )
        or 0
    ) + 1
    q = InvestigationQuestion(
        investigation_id=inv.id, number=number, text=data.text, asked_on=day, asked_by=uow.actor.principal
    )
    session.add(q)
    audit(
        uow,
        inv,
        AuditCommand.ASK_QUESTION,
        data.text,
        day,
        after={"question": number, "state": after},
        before={"state": before},
    )
    uow.commit()
    return q


class FindingInput(Input):
    finding: Finding
    rationale: NonEmpty = Field(max_length=20000, description="Why: the evidence weighed")
    on: date | None = None


def load_question(session: Session, inv: Investigation, number: int) -> InvestigationQuestion:
    q = session.scalar(
        select(InvestigationQuestion).where(
            InvestigationQuestion.investigation_id == inv.id, InvestigationQuestion.number == number
        )
    )
    if q is None:
        raise NotFound(f"no question {number} in {inv.reference}", [Problem("question", "not found")])
    return q


def record_finding(uow: UnitOfWork, ref: str, number: int, data: FindingInput) -> InvestigationQuestion:
    """Answer a question: yes, no or insufficient evidence, with the rationale."""
    uow.require(Action.INVESTIGATE)
    session = uow.session
    inv = load_investigation(session, ref, lock=True)
    q = load_question(session, inv, number)
    check_question_open(Finding(q.finding) if q.finding else None, question_no=number)
    before, after = step(uow, inv, IC.RECORD_FINDING)
    day = data.on or uow.clock.today()
    q.finding, q.rationale, q.found_on, q.found_by = (
        data.finding.value,
        data.rationale,
        day,
        uow.actor.principal,
    )
    audit(
        uow,
        inv,
        AuditCommand.RECORD_FINDING,
        data.rationale,
        day,
        after={"question": number, "finding": data.finding.value, "state": after},
        before={"state": before},
    )
    uow.commit()
    return q


class ConsultInput(Input):
    kind: ConsultationKind
    addressee: NonEmpty = Field(max_length=300, description='e.g. "Department of National Defence"')
    request: NonEmpty = Field(max_length=20000)
    on: date | None = None


def consult(uow: UnitOfWork, ref: str, data: ConsultInput) -> Consultation:
    """Ask another department for advice, or a foreign government for information (ATT Art. 11(3))."""
    uow.require(Action.INVESTIGATE)
    session = uow.session
    inv = load_investigation(session, ref, lock=True)
    before, after = step(uow, inv, IC.CONSULT)
    day = data.on or uow.clock.today()
    c = Consultation(
        investigation_id=inv.id,
        kind=data.kind.value,
        addressee=data.addressee,
        request=data.request,
        requested_on=day,
        requested_by=uow.actor.principal,
        state=ConsultationState.REQUESTED.value,
    )
    session.add(c)
    session.flush()
    audit(
        uow,
        inv,
        AuditCommand.CONSULT,
        data.request,
        day,
        after={"consultation": c.id, "kind": c.kind, "addressee": c.addressee, "state": after},
        before={"state": before},
        basis="ATT Art. 11(3)" if data.kind is ConsultationKind.FOREIGN_GOVERNMENT else ATT_11_4,
    )
    uow.commit()
    return c


class ResponseInput(Input):
    outcome: ConsultationCommand = Field(description="answer, or refuse (the addressee declined to answer)")
    response: NonEmpty = Field(max_length=20000, description="The answer, or how the refusal was expressed")
    on: date | None = None


def record_response(uow: UnitOfWork, ref: str, consultation_id: int, data: ResponseInput) -> Consultation:
    uow.require(Action.INVESTIGATE)
    session = uow.session
    inv = load_investigation(session, ref, lock=True)
    c = session.get(Consultation, consultation_id)
    if c is None or c.investigation_id != inv.id:
        raise NotFound(
            f"no request {consultation_id} in {inv.reference}", [Problem("consultation", "not found")]
        )
    step(uow, inv, IC.RECORD_RESPONSE)
    before = c.state
    c.state = next_consultation_state(ConsultationState(before), data.outcome).value
    day = data.on or uow.clock.today()
    if day < c.requested_on:
        raise InvalidInput.of("on", f"{day} is before the request ({c.requested_on})")
    c.response, c.responded_on, c.recorded_by = data.response, day, uow.actor.principal
    audit(
        uow,
        inv,
        AuditCommand.REQUEST_REFUSED
        if c.state == ConsultationState.REFUSED
        else AuditCommand.REQUEST_ANSWERED,
        data.response,
        day,
        after={"consultation": c.id, "addressee": c.addressee, "state": c.state},
        before={"state": before},
    )
    uow.commit()
    return c


class CloseInput(Input):
    outcome: Outcome
    summary: NonEmpty = Field(max_length=20000)
    on: date | None = None


def close(uow: UnitOfWork, ref: str, data: CloseInput) -> Investigation:
    uow.require(Action.INVESTIGATE)
    session = uow.session
    inv = load_investigation(session, ref, lock=True)
    counts = dict(
        session.execute(
            select(RecommendedAction.state, func.count(RecommendedAction.id))
            .where(RecommendedAction.investigation_id == inv.id)
            .group_by(RecommendedAction.state)
        ).all()
    )
    check_close(
        InvestigationState(inv.state),
        data.outcome,
        pending_actions=counts.get(ActionState.RECOMMENDED.value, 0),
        executed_actions=counts.get(ActionState.EXECUTED.value, 0),
    )
    before, after = step(uow, inv, IC.CLOSE)
    day = data.on or uow.clock.today()
    inv.closed_on, inv.closed_by, inv.outcome, inv.outcome_summary = (
        day,
        uow.actor.principal,
        data.outcome.value,
        data.summary,
    )
    audit(
        uow,
        inv,
        AuditCommand.CLOSE_INVESTIGATION,
        data.summary,
        day,
        after={"state": after, "outcome": data.outcome.value},
        before={"state": before},
    )
    uow.commit()
    return inv


def allegations_of(session: Session, inv: Investigation) -> list[Allegation]:
    return list(
        session.scalars(
            select(Allegation).where(Allegation.investigation_id == inv.id).order_by(Allegation.id)
        )
    )
