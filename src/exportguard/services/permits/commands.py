"""Permits: issue from an approved application, and the EIPA s.10 lifecycle commands."""

from __future__ import annotations

from datetime import date

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportguard.db.models import Application, Permit, PermitLine, PermitStateChange
from exportguard.domain import permits as rules
from exportguard.domain.access import Action, Actor
from exportguard.domain.applications import ISSUE_A_PERMIT_FOR, THE_APPLICATION, ApplicationState, PartyRole
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.chronology import RETROACTIVE_BASIS, check_not_before, check_validity_start
from exportguard.domain.errors import Conflict, IllegalTransition, InvalidInput, NotFound, Problem
from exportguard.domain.permits import PERMIT_NUMBER, PermitCommand, PermitState
from exportguard.services.applications import chronology
from exportguard.services.applications.commands import load_application
from exportguard.services.kernel.common import DB_INT_MAX, Act, Input, Quantity
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.permits import notices
from exportguard.services.permits.views import PermitView, permit_view
from exportguard.services.policy import determination
from exportguard.services.screening.commands import screen_parties
from exportguard.services.screening.gate import refusal, standing_hits

EIPA_7 = "EIPA s.7(1)"
LEGAL_BASIS: dict[PermitCommand, str] = {
    PermitCommand.SUSPEND: "EIPA s.10(1)",
    PermitCommand.REINSTATE: "EIPA s.10(1)",
    PermitCommand.CANCEL: "EIPA s.10(1)",
    PermitCommand.AMEND: "EIPA s.10(1)",
    PermitCommand.EXPIRE: "EIPA s.12(a); expiry date shown on the permit",
}


class PermitLineInput(Input):
    application_line_no: int = Field(ge=1, le=DB_INT_MAX)
    quantity: Quantity


class IssueInput(Input):
    valid_from: date
    valid_to: date
    lines: list[PermitLineInput] = Field(min_length=1)
    conditions: str = ""
    number: str | None = Field(default=None, pattern=r"^[A-Z0-9][A-Z0-9-]{2,31}$")
    issued_on: date | None = None
    retroactive: bool = Field(default=False, description="EIPA s.8.5: valid from before its issue")
    retroactive_reason: str | None = Field(default=None, description="Why the permit is retroactive")


class AmendInput(Act):
    valid_from: date | None = None
    valid_to: date | None = None
    conditions: str | None = None
    lines: list[PermitLineInput] | None = None


def load_permit(session: Session, actor: Actor, permit_id: int, *, lock: bool = False) -> Permit:
    """A permit ``actor`` may see (404 otherwise, so another holder's permit is not revealed)."""
    stmt = select(Permit).where(Permit.id == permit_id)
    if lock:
        stmt = stmt.with_for_update()
    permit = session.scalar(stmt)
    if permit is None or not actor.sees(permit.holder_id):
        raise NotFound(f"no permit {permit_id}", [Problem("permit_id", "not found")])
    return permit


def _available(session: Session, app: Application, *, excluding: int | None = None) -> dict[int, int]:
    """Quantity per application line not yet taken by the application's permits in force."""
    taken = dict(
        session.execute(
            select(PermitLine.application_line_id, func.sum(PermitLine.quantity))
            .join(Permit, Permit.id == PermitLine.permit_id)
            .where(
                Permit.application_id == app.id,
                Permit.state != PermitState.SUPERSEDED.value,
                Permit.id != (excluding or -1),
            )
            .group_by(PermitLine.application_line_id)
        ).all()
    )
    return {line.line_no: line.quantity - int(taken.get(line.id, 0)) for line in app.lines}


def _lines(app: Application, wanted: list[PermitLineInput]) -> list[PermitLine]:
    by_no = {line.line_no: line for line in app.lines}
    out = []
    for n, want in enumerate(sorted(wanted, key=lambda w: w.application_line_no), start=1):
        line = by_no[want.application_line_no]
        out.append(
            PermitLine(
                line_no=n,
                application_line_id=line.id,
                product_id=line.product_id,
                item_code=line.item_code,
                description=line.description,
                quantity=want.quantity,
                unit=line.unit,
                unit_value=line.unit_value,
                currency=line.currency,
            )
        )
    return out


def _check_lines(
    session: Session, app: Application, wanted: list[PermitLineInput], excluding: int | None = None
) -> None:
    requested: dict[int, int] = {}
    for w in wanted:
        if w.application_line_no in requested:
            raise InvalidInput.of(f"lines[{w.application_line_no}]", "a line may appear once")
        requested[w.application_line_no] = w.quantity
    rules.check_lines_within(requested, _available(session, app, excluding=excluding))


def _next_number(session: Session, year: int) -> str:
    prefix = f"EXP-{year}-"
    count = (
        session.scalar(
            select(func.count(func.distinct(Permit.number))).where(Permit.number.like(prefix + "%"))
        )
        or 0
    )
    return f"{prefix}{count + 1:06d}"


def issue_permit(uow: UnitOfWork, application_id: int, data: IssueInput) -> PermitView:
    uow.require(Action.ISSUE_PERMIT)
    session = uow.session
    app = load_application(session, uow.actor, application_id, lock=True)
    if app.state != ApplicationState.APPROVED.value:
        raise IllegalTransition(THE_APPLICATION(), app.state, ISSUE_A_PERMIT_FOR())
    issued_on = data.issued_on or uow.clock.today()
    # Issue 11: issued on or after the approval, on a day no measure forbids it; valid from its issue
    # unless it is a reasoned retroactive permit (EIPA s.8.5).
    check_not_before(chronology.approval(session, app), issued_on, "issued_on")
    rules.validate_validity(data.valid_from, data.valid_to)
    _check_lines(session, app, data.lines)
    check_validity_start(
        data.valid_from, issued_on, retroactive=data.retroactive, reason=data.retroactive_reason
    )
    determination.check_issue(session, app, issued_on)
    # A permit never goes to a listed party: screen every party again before issue. The hits are
    # recorded (and committed) even when they refuse the permit, so the review tasks exist.
    party_ids = sorted({ap.party_id for ap in app.parties})
    screen_parties(uow, party_ids, "issue")
    standing = standing_hits(session, party_ids)
    if standing:
        uow.commit()
        raise refusal(standing)
    roles = {ap.role: ap.party_id for ap in app.parties}
    number = data.number or _next_number(session, issued_on.year)
    if session.scalar(select(Permit.id).where(Permit.number == number)) is not None:
        raise Conflict(f"permit number {number} is taken", [Problem("number", "already used")])
    permit = Permit(
        number=number,
        version=1,
        application_id=app.id,
        holder_id=roles[PartyRole.EXPORTER.value],
        consignee_id=roles[PartyRole.CONSIGNEE.value],
        end_user_id=roles.get(PartyRole.END_USER.value),
        destination_code=app.destination_code,
        state=PermitState.ACTIVE.value,
        issued_on=issued_on,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        conditions=data.conditions,
        lines=_lines(app, data.lines),
    )
    session.add(permit)
    session.flush()
    reason, legal_basis = "permit issued", EIPA_7
    if data.retroactive:
        reason = f"permit issued, retroactive from {data.valid_from}: {data.retroactive_reason}"
        legal_basis = f"{EIPA_7}; {RETROACTIVE_BASIS}"
    _history(uow, permit, PermitCommand.ISSUE, issued_on, reason=reason, legal_basis=legal_basis)
    view = permit_view(session, permit)
    uow.record(
        AuditEntry(
            command=AuditCommand.ISSUE_PERMIT,
            subject_type="permit",
            subject_id=permit.id,
            subject_ref=f"{number}/v1",
            legal_basis=legal_basis,
            reason=f"issued on application {app.reference}/v{app.version}"
            + (
                f"; retroactive from {data.valid_from}: {data.retroactive_reason}" if data.retroactive else ""
            ),
            effective_date=issued_on,
            before=None,
            after=view.audit_form(),
        )
    )
    uow.commit()
    return view


def _history(
    uow: UnitOfWork, permit: Permit, command: PermitCommand, day: date, *, reason: str, legal_basis: str
) -> None:
    uow.session.add(
        PermitStateChange(
            permit_id=permit.id,
            state=permit.state,
            command=command.value,
            effective_date=day,
            recorded_at=uow.clock.now(),
            principal=uow.actor.principal,
            reason=reason,
            legal_basis=legal_basis,
        )
    )


def history_of(session: Session, permit_id: int) -> list[rules.StateChange]:
    rows = session.scalars(
        select(PermitStateChange)
        .where(PermitStateChange.permit_id == permit_id)
        .order_by(PermitStateChange.effective_date, PermitStateChange.id)
    )
    return [rules.StateChange(PermitState(r.state), PermitCommand(r.command), r.effective_date) for r in rows]


def change_state(uow: UnitOfWork, permit: Permit, command: PermitCommand, act: Act) -> None:
    """Apply one lifecycle command to a locked permit (used alone and by bulk actions)."""
    before = permit.state
    after = rules.next_state(PermitState(before), command, what=PERMIT_NUMBER(number=permit.number))
    day = act.effective_date or uow.clock.today()
    rules.check_effective_date(history_of(uow.session, permit.id), day)
    legal_basis = act.legal_basis or LEGAL_BASIS[command]
    permit.state = after.value
    _history(uow, permit, command, day, reason=act.reason, legal_basis=legal_basis)
    uow.record(
        AuditEntry(
            command=rules.AUDITED_AS[command],
            subject_type="permit",
            subject_id=permit.id,
            subject_ref=f"{permit.number}/v{permit.version}",
            legal_basis=legal_basis,
            reason=act.reason,
            effective_date=day,
            before={"state": before},
            after={"state": after.value},
        )
    )


def alter_permit(uow: UnitOfWork, permit_id: int, command: PermitCommand, act: Act) -> PermitView:
    """Suspend, reinstate or cancel one permit (EIPA s.10(1))."""
    if command not in (PermitCommand.SUSPEND, PermitCommand.REINSTATE, PermitCommand.CANCEL):
        raise InvalidInput.of("command", f"'{command.value}' is not suspend, reinstate or cancel")
    uow.require(Action.ALTER_PERMIT)
    permit = load_permit(uow.session, uow.actor, permit_id, lock=True)
    change_state(uow, permit, command, act)
    notify_holder(uow, permit, command, act)
    uow.commit()
    return permit_view(uow.session, permit)


def notify_holder(uow: UnitOfWork, permit: Permit, command: PermitCommand, act: Act) -> None:
    """An act on one permit reaches its holder as a bulk act does: a notice in the outbox, written
    in the act's transaction (EIPA s.10(1); services/permits/notices.py). The notice is keyed by the
    permit's version and the number of its recorded changes, so each act has its own."""
    session = uow.session
    session.flush()
    changes = session.scalar(
        select(func.count(PermitStateChange.id)).where(PermitStateChange.permit_id == permit.id)
    )
    ref = f"{permit.number}/v{permit.version}"
    change = notices.Change(
        notices.ACT_DONE[command.value],
        f"{ref}-{command.value}-{changes}",
        act.effective_date or uow.clock.today(),
        act.reason,
        act.legal_basis or LEGAL_BASIS[command],
    )
    notices.enqueue(session, uow.clock.now(), change, {permit.holder_id: [ref]}, None)


def next_version(
    old: Permit,
    *,
    issued_on: date,
    valid_from: date,
    valid_to: date,
    conditions: str,
    lines: list[PermitLine],
) -> Permit:
    """The version that supersedes ``old`` on amendment (EIPA s.10(1)): same number, parties and
    destination, in force from ``issued_on``; the caller supersedes ``old`` and records both."""
    return Permit(
        number=old.number,
        version=old.version + 1,
        supersedes_id=old.id,
        application_id=old.application_id,
        holder_id=old.holder_id,
        consignee_id=old.consignee_id,
        end_user_id=old.end_user_id,
        destination_code=old.destination_code,
        state=PermitState.ACTIVE.value,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_to=valid_to,
        conditions=conditions,
        lines=lines,
    )


def copied_lines(old: Permit) -> list[PermitLine]:
    """The same lines again, for a new version that changes only validity or conditions."""
    return [
        PermitLine(
            line_no=pl.line_no,
            application_line_id=pl.application_line_id,
            product_id=pl.product_id,
            item_code=pl.item_code,
            description=pl.description,
            quantity=pl.quantity,
            unit=pl.unit,
            unit_value=pl.unit_value,
            currency=pl.currency,
        )
        for pl in old.lines
    ]


def amend_permit(uow: UnitOfWork, permit_id: int, data: AmendInput) -> PermitView:
    """EIPA s.10(1) amendment: a new version in force; the old one is kept, superseded."""
    uow.require(Action.ALTER_PERMIT)
    session = uow.session
    old = load_permit(session, uow.actor, permit_id, lock=True)
    day = data.effective_date or uow.clock.today()
    rules.next_state(PermitState(old.state), PermitCommand.AMEND, what=PERMIT_NUMBER(number=old.number))
    valid_from, valid_to = data.valid_from or old.valid_from, data.valid_to or old.valid_to
    rules.validate_validity(valid_from, valid_to)
    app = session.get(Application, old.application_id)
    assert app is not None  # foreign key
    line_no_of = {line.id: line.line_no for line in app.lines}
    wanted = (
        data.lines
        if data.lines is not None
        else [
            PermitLineInput(application_line_no=line_no_of[pl.application_line_id], quantity=pl.quantity)
            for pl in old.lines
        ]
    )
    _check_lines(session, app, wanted, excluding=old.id)
    change_state(uow, old, PermitCommand.AMEND, data)
    notify_holder(uow, old, PermitCommand.AMEND, data)
    new = next_version(
        old,
        issued_on=day,
        valid_from=valid_from,
        valid_to=valid_to,
        conditions=old.conditions if data.conditions is None else data.conditions,
        lines=_lines(app, wanted),
    )
    session.add(new)
    session.flush()
    legal_basis = data.legal_basis or LEGAL_BASIS[PermitCommand.AMEND]
    _history(uow, new, PermitCommand.AMEND, day, reason=data.reason, legal_basis=legal_basis)
    view = permit_view(session, new)
    uow.record(
        AuditEntry(
            command=AuditCommand.ISSUE_AMENDED_PERMIT,
            subject_type="permit",
            subject_id=new.id,
            subject_ref=f"{new.number}/v{new.version}",
            legal_basis=legal_basis,
            reason=data.reason,
            effective_date=day,
            before={"supersedes": f"{old.number}/v{old.version}"},
            after=view.audit_form(),
        )
    )
    uow.commit()
    return view


def expire_due_permits(uow: UnitOfWork, today: date | None = None) -> list[str]:
    """The idempotent expiry sweep: live permits past their last valid day become expired."""
    uow.require(Action.EXPIRE_PERMITS)
    today = today or uow.clock.today()
    session = uow.session
    due = session.scalars(
        select(Permit)
        .where(Permit.state.in_([s.value for s in rules.LIVE_STATES]), Permit.valid_to < today)
        .order_by(Permit.id)
        .with_for_update()
    ).all()
    expired = []
    for permit in due:
        # EIPA s.12(a): the permit lapses the day after the expiry date shown on it.
        day = permit.valid_to.fromordinal(permit.valid_to.toordinal() + 1)
        # A retroactive permit (EIPA s.8.5) may be issued after its validity ended: it lapses on
        # its issue, its history never reading backwards (issue 11).
        history = history_of(session, permit.id)
        day = max(day, history[-1].effective_date) if history else day
        change_state(
            uow,
            permit,
            PermitCommand.EXPIRE,
            Act(reason=f"validity ended {permit.valid_to}", effective_date=day),
        )
        expired.append(f"{permit.number}/v{permit.version}")
    uow.commit()
    return expired
