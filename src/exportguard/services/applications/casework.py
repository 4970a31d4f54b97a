"""Casework on an application: taking the case, asking the applicant for information (and the
answer, with documents), and sending the case to another department for advice by a date.

Each is one named command through the unit of work with its audit event.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import AdviceRequest, Application, CaseAssignment, InformationRequest
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.applications import SEND_FOR_ADVICE, THE_APPLICATION, ApplicationState
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import IllegalTransition, InvalidInput, NotFound, Problem
from exportguard.services.applications.commands import load_application
from exportguard.services.kernel.common import Input, NonEmpty, View
from exportguard.services.kernel.unit_of_work import UnitOfWork

EPR_3 = "Export Permits Regulations s.3"
OPEN_CASE = (ApplicationState.SUBMITTED.value, ApplicationState.UNDER_REVIEW.value)


class InformationRequestInput(Input):
    question: NonEmpty = Field(max_length=4000)
    due_on: date | None = None


class AnswerInput(Input):
    answer: NonEmpty = Field(max_length=8000)


class AdviceRequestInput(Input):
    department: NonEmpty = Field(max_length=120)
    due_on: date
    note: str = Field(default="", max_length=4000)


class InformationRequestView(View):
    id: int
    question: str
    due_on: date | None
    asked_by: str
    asked_at: datetime
    answer: str | None
    answered_by: str | None
    answered_at: datetime | None


class AdviceRequestView(View):
    id: int
    department: str
    due_on: date
    note: str
    requested_by: str
    requested_at: datetime


def _ref(app: Application) -> str:
    return f"{app.reference}/v{app.version}"


def _open(app: Application, command: str) -> None:
    if app.state not in OPEN_CASE:
        raise IllegalTransition(THE_APPLICATION(), app.state, command)


def assign_to_me(uow: UnitOfWork, application_id: int) -> str:
    """The acting officer takes the case ("assign to me"); a case already theirs stays as it is."""
    uow.require(Action.REVIEW_APPLICATION)
    app = load_application(uow.session, uow.actor, application_id, lock=True)
    _open(app, "assign")
    row = uow.session.get(CaseAssignment, app.id)
    before = None if row is None else row.officer
    if before == uow.actor.principal:
        return before
    if row is None:
        row = CaseAssignment(application_id=app.id)
        uow.session.add(row)
    row.officer, row.assigned_at = uow.actor.principal, uow.clock.now()
    uow.record(
        AuditEntry(
            command=AuditCommand.ASSIGN_CASE,
            subject_type="application",
            subject_id=app.id,
            subject_ref=_ref(app),
            legal_basis="EIPA s.7",
            reason="case taken from the queue",
            effective_date=uow.clock.today(),
            before={"officer": before},
            after={"officer": row.officer},
        )
    )
    uow.commit()
    return row.officer


def request_information(uow: UnitOfWork, application_id: int, data: InformationRequestInput) -> int:
    uow.require(Action.REVIEW_APPLICATION)
    app = load_application(uow.session, uow.actor, application_id, lock=True)
    _open(app, "request information on")
    if data.due_on is not None and data.due_on < uow.clock.today():
        raise InvalidInput.of("due_on", "the answer cannot be due before today")
    rfi = InformationRequest(
        application_id=app.id,
        question=data.question,
        due_on=data.due_on,
        asked_by=uow.actor.principal,
        asked_at=uow.clock.now(),
    )
    uow.session.add(rfi)
    uow.session.flush()
    uow.record(
        AuditEntry(
            command=AuditCommand.REQUEST_INFORMATION,
            subject_type="application",
            subject_id=app.id,
            subject_ref=_ref(app),
            legal_basis=EPR_3,
            reason=data.question,
            effective_date=uow.clock.today(),
            before=None,
            after={"request": rfi.id, **data.model_dump(mode="json")},
        )
    )
    uow.commit()
    return rfi.id


def load_request(
    session: Session, actor: Actor, request_id: int, *, lock: bool = False
) -> InformationRequest:
    stmt = select(InformationRequest).where(InformationRequest.id == request_id)
    rfi = session.scalar(stmt.with_for_update() if lock else stmt)
    if rfi is None:
        raise NotFound(f"no request for information {request_id}", [Problem("request_id", "not found")])
    load_application(session, actor, rfi.application_id)  # another organisation's: a 404 as well
    return rfi


def request_advice(uow: UnitOfWork, application_id: int, data: AdviceRequestInput) -> int:
    """Send the case to a department (e.g. National Defence) for its advice by ``due_on``."""
    uow.require(Action.REVIEW_APPLICATION)
    app = load_application(uow.session, uow.actor, application_id, lock=True)
    if app.state != ApplicationState.UNDER_REVIEW.value:
        raise IllegalTransition(THE_APPLICATION(), app.state, SEND_FOR_ADVICE())
    if data.due_on < uow.clock.today():
        raise InvalidInput.of("due_on", "the advice cannot be due before today")
    row = AdviceRequest(
        application_id=app.id,
        department=data.department,
        due_on=data.due_on,
        note=data.note,
        requested_by=uow.actor.principal,
        requested_at=uow.clock.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    uow.record(
        AuditEntry(
            command=AuditCommand.REQUEST_ADVICE,
            subject_type="application",
            subject_id=app.id,
            subject_ref=_ref(app),
            legal_basis="EIPA s.7 (interdepartmental consultation)",
            reason=data.note or f"advice requested from {data.department}",
            effective_date=uow.clock.today(),
            before=None,
            after=data.model_dump(mode="json"),
        )
    )
    uow.commit()
    return row.id


class CaseworkView(View):
    assigned_to: str | None
    information_requests: list[InformationRequestView]
    advice_requests: list[AdviceRequestView]


def casework_of(session: Session, actor: Actor, application_id: int) -> CaseworkView:
    require(actor, Action.READ_APPLICATIONS)
    app = load_application(session, actor, application_id)
    row = session.get(CaseAssignment, app.id)
    rfis = session.scalars(
        select(InformationRequest)
        .where(InformationRequest.application_id == app.id)
        .order_by(InformationRequest.id)
    )
    advice = session.scalars(
        select(AdviceRequest).where(AdviceRequest.application_id == app.id).order_by(AdviceRequest.id)
    )
    return CaseworkView(
        assigned_to=None if row is None else row.officer,
        information_requests=[InformationRequestView.model_validate(r) for r in rfis],
        advice_requests=[AdviceRequestView.model_validate(a) for a in advice],
    )
