"""Which permits a bulk act selects, and the impact preview shown before the act is signed.

The preview names the exact permits (by state and effective date, as execution will select them),
their holders, what remains undelivered on each (licensed minus shipped, valued at the line's unit
value), shipments dated on or after the effective date (which the act would leave unauthorised),
and any permit whose history already has a later change (execution refuses those).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field
from sqlalchemy import BigInteger, ColumnElement, Select, exists, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from exportguard.db.models import (
    Party,
    Permit,
    PermitLine,
    PermitStateChange,
    SavedScope,
    Shipment,
)
from exportguard.domain import bulk_actions as rules
from exportguard.domain import permits as permit_rules
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.bulk_actions import BulkCommand, Scope
from exportguard.domain.errors import Conflict, InvalidInput, Problem
from exportguard.domain.permits import PermitCommand, PermitState
from exportguard.services.kernel.common import CountryCodeStr, Input, View
from exportguard.services.permits.shipped import shipped_lines


class ScopeInput(Input):
    destination: CountryCodeStr | None = None
    consignee_id: int | None = None
    end_user_id: int | None = None
    holder_id: int | None = Field(default=None, description="The exporter holding the permits")
    item_code: str | None = None
    item_group: int | None = Field(default=None, ge=1, le=9)
    product_id: int | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    permits: list[str] | None = Field(default=None, description="Permit numbers (exactly these)")

    def to_domain(self) -> Scope:
        fields = self.model_dump()
        permits = fields.pop("permits")
        return Scope(**fields, permits=None if permits is None else tuple(permits))


def resolve_scope(
    session: Session, scope: ScopeInput | None, scope_name: str | None
) -> tuple[Scope, str | None]:
    """The scope given, or a saved one by name (the two may not be combined)."""
    if scope_name:
        if scope is not None and not scope.to_domain().is_empty():
            raise InvalidInput.of("scope_name", "give a saved scope's name or filters, not both")
        saved = session.scalar(select(SavedScope).where(SavedScope.name == scope_name))
        if saved is None:
            raise InvalidInput.of("scope_name", f"no saved scope '{scope_name}'")
        found = ScopeInput.model_validate(saved.scope).to_domain()
    else:
        found = (scope or ScopeInput()).to_domain()
    rules.check_scope(found)
    return found, scope_name


def predicate(scope: Scope, command: BulkCommand, day: date) -> list[ColumnElement[bool]]:
    """The permits an act selects: in a state the transition table allows, still valid on ``day``."""
    p = Permit
    conds: list[ColumnElement[bool]] = [
        p.state.in_([s.value for s in rules.states_hit(command)]),
        p.valid_to >= day,  # EIPA s.12(a): past its expiry date a permit is no longer in force
    ]
    for column, value in (
        (p.destination_code, scope.destination),
        (p.consignee_id, scope.consignee_id),
        (p.end_user_id, scope.end_user_id),
        (p.holder_id, scope.holder_id),
    ):
        if value is not None:
            conds.append(column == value)
    line = exists().where(PermitLine.permit_id == p.id)
    if scope.item_code is not None:
        conds.append(
            line.where(
                or_(
                    PermitLine.item_code == scope.item_code, PermitLine.item_code.like(scope.item_code + ".%")
                )
            )
        )
    if scope.item_group is not None:
        conds.append(
            line.where(
                PermitLine.item_code.like(f"{scope.item_group}-%")
                | PermitLine.item_code.like(f"{scope.item_group}___")
            )
        )
    if scope.product_id is not None:
        conds.append(line.where(PermitLine.product_id == scope.product_id))
    if scope.issued_from is not None:
        conds.append(p.issued_on >= scope.issued_from)
    if scope.issued_to is not None:
        conds.append(p.issued_on <= scope.issued_to)
    if scope.permits is not None:
        conds.append(p.number.in_(scope.permits))
    return conds


def selected_ids(scope: Scope, command: BulkCommand, day: date) -> Select[tuple[int]]:
    # mypy sees a one-column select as Select[int]; it is the tuple form at runtime.
    return select(Permit.id).where(*predicate(scope, command, day))  # type: ignore[return-value]


def late_changes(session: Session, scope: Scope, command: BulkCommand, day: date) -> dict[str, date]:
    """Selected permits whose history already has a change after ``day`` (histories never fork)."""
    # Only the changes after ``day`` are joined and grouped (their latest is the history's latest),
    # not the whole history of every selected permit.
    last = func.max(PermitStateChange.effective_date)
    rows = session.execute(
        select(Permit.number, Permit.version, last)
        .join(PermitStateChange, PermitStateChange.permit_id == Permit.id)
        .where(PermitStateChange.effective_date > day, Permit.id.in_(selected_ids(scope, command, day)))
        .group_by(Permit.id, Permit.number, Permit.version)
    ).all()
    return {f"{n}/v{v}": d for n, v, d in rows}


class AffectedPermit(View):
    id: int
    number: str
    version: int
    state: str
    holder_id: int
    holder: str
    destination: str
    valid_to: date
    undelivered_quantity: int
    undelivered_value: dict[str, Decimal]
    # What a reader is told today, and what the act makes it from its effective date (the recorded
    # state alone misleads: a suspension recorded for next week is already stored as suspended).
    status_today: str | None = None
    after: str | None = None


class HolderImpact(View):
    holder_id: int
    holder: str
    permits: int
    undelivered_quantity: int
    undelivered_value: dict[str, Decimal]


class PendingShipment(View):
    declaration_id: str
    permit: str
    shipped_on: date


class Preview(View):
    command: str
    scope: dict[str, object]
    scope_name: str | None
    effective_date: date
    permit_count: int
    undelivered_quantity: int
    undelivered_value: dict[str, Decimal]
    holders: list[HolderImpact]
    pending_shipments: list[PendingShipment]
    conflicts: dict[str, date]
    permits: list[AffectedPermit]
    computed_at: datetime | None = None


def _add(total: dict[str, Decimal], currency: str, amount: Decimal) -> None:
    total[currency] = total.get(currency, Decimal(0)) + amount


def preview(
    session: Session,
    actor: Actor,
    command: BulkCommand,
    scope: Scope,
    day: date,
    *,
    scope_name: str | None = None,
    today: date | None = None,
) -> Preview:
    """The exact impact of the act, computed as execution will select (read-only). With ``today``,
    each permit also says its status today and its state once the act takes effect."""
    require(actor, Action.ALTER_PERMIT)
    ids = selected_ids(scope, command, day).scalar_subquery()
    rows = session.execute(
        select(
            Permit.id,
            Permit.number,
            Permit.version,
            Permit.state,
            Permit.holder_id,
            Party.name,
            Permit.destination_code,
            Permit.valid_from,
            Permit.valid_to,
        )
        .join(Party, Party.id == Permit.holder_id)
        .where(*predicate(scope, command, day))
        .order_by(Permit.number, Permit.version)
    ).all()
    shipped = shipped_lines(ids).subquery()
    remaining = PermitLine.quantity - func.coalesce(shipped.c.quantity, 0)
    cents = type_coerce(PermitLine.unit_value, BigInteger)
    per_permit: dict[int, tuple[int, dict[str, Decimal]]] = {}
    for pid, currency, qty, value in session.execute(
        select(PermitLine.permit_id, PermitLine.currency, func.sum(remaining), func.sum(remaining * cents))
        .outerjoin(shipped, shipped.c.permit_line_id == PermitLine.id)
        .where(PermitLine.permit_id.in_(ids))
        .group_by(PermitLine.permit_id, PermitLine.currency)
    ):
        q, values = per_permit.get(pid, (0, {}))
        _add(values, currency, (Decimal(int(value or 0)) / 100).quantize(Decimal("0.01")))
        per_permit[pid] = (q + int(qty or 0), values)
    permits: list[AffectedPermit] = []
    holders: dict[int, HolderImpact] = {}
    total_qty, total_value = 0, dict[str, Decimal]()
    histories = _histories(session, [r[0] for r in rows]) if today is not None else {}
    after = permit_rules.next_state  # the transition table names the state the act leads to
    for pid, number, version, state, holder_id, holder, dest, valid_from, valid_to in rows:
        qty, values = per_permit.get(pid, (0, {}))
        status_today = (
            permit_rules.status_on(histories.get(pid, []), today, valid_from=valid_from, valid_to=valid_to)
            if today is not None
            else None
        )
        permits.append(
            AffectedPermit(
                id=pid,
                number=number,
                version=version,
                state=state,
                holder_id=holder_id,
                holder=holder,
                destination=dest,
                valid_to=valid_to,
                undelivered_quantity=qty,
                undelivered_value=values,
                status_today=status_today,
                after=after(PermitState(state), command.permit_command).value,
            )
        )
        h = holders.setdefault(
            holder_id,
            HolderImpact(
                holder_id=holder_id, holder=holder, permits=0, undelivered_quantity=0, undelivered_value={}
            ),
        )
        h.permits += 1
        h.undelivered_quantity += qty
        total_qty += qty
        for currency, amount in values.items():
            _add(h.undelivered_value, currency, amount)
            _add(total_value, currency, amount)
    numbers = {p.id: f"{p.number}/v{p.version}" for p in permits}
    pending = [
        PendingShipment(declaration_id=d, permit=numbers[pid], shipped_on=on)
        for d, pid, on in session.execute(
            select(Shipment.declaration_id, Shipment.permit_id, Shipment.shipped_on)
            .where(Shipment.permit_id.in_(ids), Shipment.shipped_on >= day)
            .order_by(Shipment.shipped_on, Shipment.declaration_id)
        )
    ]
    return Preview(
        command=command.value,
        scope=scope.describe(),
        scope_name=scope_name,
        effective_date=day,
        permit_count=len(permits),
        undelivered_quantity=total_qty,
        undelivered_value=total_value,
        holders=sorted(holders.values(), key=lambda h: (-h.permits, h.holder)),
        pending_shipments=pending,
        conflicts=late_changes(session, scope, command, day),
        permits=permits,
    )


def _histories(session: Session, ids: list[int]) -> dict[int, list[permit_rules.StateChange]]:
    out: dict[int, list[permit_rules.StateChange]] = {}
    for pid, state, command, day in session.execute(
        select(
            PermitStateChange.permit_id,
            PermitStateChange.state,
            PermitStateChange.command,
            PermitStateChange.effective_date,
        )
        .where(PermitStateChange.permit_id.in_(ids))
        .order_by(PermitStateChange.permit_id, PermitStateChange.effective_date, PermitStateChange.id)
    ):
        out.setdefault(pid, []).append(
            permit_rules.StateChange(PermitState(state), PermitCommand(command), day)
        )
    return out


class SavedScopeInput(Input):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
    scope: ScopeInput
    description: str = ""


def check_selects_something(count: int) -> None:
    if count == 0:
        raise Conflict(
            "the scope selects no permit in a state this act applies to",
            [Problem("scope", "selects no permit")],
        )


def saved_scopes(session: Session, actor: Actor) -> list[SavedScopeInput]:
    """The saved scopes (e.g. "TR-GROUP-2"), for choosing one instead of filters."""
    require(actor, Action.ALTER_PERMIT)
    return [
        SavedScopeInput(name=s.name, scope=ScopeInput.model_validate(s.scope), description=s.description)
        for s in session.scalars(select(SavedScope).order_by(SavedScope.name))
    ]
