"""Post-shipment verification: checks of a permit's goods at their end use, planned and then done.

ATT Art. 11(2) and (4); cf. the US Blue Lantern post-shipment checks and Germany's on-site checks
(regime-facts 6.1, 6.4). A check is planned, then done with its result, or called off.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import EndUseAssurance, Permit, VerificationCheck
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.assurances import CheckCommand, CheckResult, CheckState, next_check_state
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import InvalidInput, NotFound, Problem
from exportguard.services.investigations.assurances import load_assurance
from exportguard.services.kernel.common import Input, NonEmpty, View
from exportguard.services.kernel.unit_of_work import UnitOfWork

ATT_11 = "ATT Art. 11(2)"


class PlanCheckInput(Input):
    permit: NonEmpty = Field(description="Permit number")
    place: NonEmpty = Field(max_length=300, description="Where the goods are to be seen")
    planned_on: date
    assurance: str | None = Field(default=None, description="The assurance the check verifies")


class CheckResultInput(Input):
    result: CheckResult
    notes: str = Field(default="", max_length=20000)
    on: date | None = None


class CheckView(View):
    id: int
    permit: str
    assurance: str | None
    place: str
    planned_on: date
    planned_by: str
    state: str
    done_on: date | None
    done_by: str | None
    result: str | None
    notes: str


def check_view(session: Session, c: VerificationCheck) -> CheckView:
    permit = session.get(Permit, c.permit_id)
    assert permit is not None  # foreign key
    assurance = session.get(EndUseAssurance, c.assurance_id) if c.assurance_id else None
    return CheckView(
        id=c.id,
        permit=permit.number,
        assurance=assurance.reference if assurance else None,
        place=c.place,
        planned_on=c.planned_on,
        planned_by=c.planned_by,
        state=c.state,
        done_on=c.done_on,
        done_by=c.done_by,
        result=c.result,
        notes=c.notes,
    )


def plan_check(uow: UnitOfWork, data: PlanCheckInput) -> CheckView:
    uow.require(Action.VERIFY_END_USE)
    session = uow.session
    permit = session.scalar(
        select(Permit).where(Permit.number == data.permit).order_by(Permit.version.desc())
    )
    if permit is None:
        raise InvalidInput.of("permit", f"no permit {data.permit}")
    assurance = load_assurance(session, data.assurance) if data.assurance else None
    c = VerificationCheck(
        permit_id=permit.id,
        assurance_id=assurance.id if assurance else None,
        place=data.place,
        planned_on=data.planned_on,
        planned_by=uow.actor.principal,
        state=CheckState.PLANNED.value,
    )
    session.add(c)
    session.flush()
    uow.record(
        AuditEntry(
            command=AuditCommand.PLAN_VERIFICATION,
            subject_type="verification_check",
            subject_id=c.id,
            subject_ref=permit.number,
            legal_basis=ATT_11,
            reason=f"check at {data.place}",
            effective_date=data.planned_on,
            before=None,
            after={"state": c.state},
        )
    )
    uow.commit()
    return check_view(session, c)


def _move(uow: UnitOfWork, check_id: int, command: CheckCommand) -> VerificationCheck:
    c = uow.session.get(VerificationCheck, check_id, with_for_update=True)
    if c is None:
        raise NotFound(f"no verification check {check_id}", [Problem("check", "not found")])
    c.state = next_check_state(CheckState(c.state), command).value
    return c


def record_result(uow: UnitOfWork, check_id: int, data: CheckResultInput) -> CheckView:
    uow.require(Action.VERIFY_END_USE)
    c = _move(uow, check_id, CheckCommand.RECORD_RESULT)
    day = data.on or uow.clock.today()
    c.done_on, c.done_by, c.result, c.notes = day, uow.actor.principal, data.result.value, data.notes
    view = check_view(uow.session, c)
    uow.record(
        AuditEntry(
            command=AuditCommand.RECORD_VERIFICATION,
            subject_type="verification_check",
            subject_id=c.id,
            subject_ref=view.permit,
            legal_basis=ATT_11,
            reason=data.notes or data.result.value,
            effective_date=day,
            before={"state": "planned"},
            after={"state": c.state, "result": c.result},
        )
    )
    uow.commit()
    return view


def checks_for(session: Session, actor: Actor, permit: Permit) -> list[CheckView]:
    require(actor, Action.READ_ASSURANCES)
    rows = session.scalars(
        select(VerificationCheck)
        .where(VerificationCheck.permit_id == permit.id)
        .order_by(VerificationCheck.planned_on)
    )
    return [check_view(session, c) for c in rows]


def list_checks(session: Session, actor: Actor, permit: str | None = None) -> list[CheckView]:
    """Verification checks, planned and done, by planned date (of one permit number's versions when
    given); internal, as the assurances they verify."""
    require(actor, Action.READ_ASSURANCES)
    stmt = select(VerificationCheck).order_by(VerificationCheck.planned_on, VerificationCheck.id)
    if permit is not None:
        stmt = stmt.join(Permit, Permit.id == VerificationCheck.permit_id).where(
            Permit.number == permit.strip().upper()
        )
    return [check_view(session, c) for c in session.scalars(stmt)]
