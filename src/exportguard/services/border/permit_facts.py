"""Permits as the border sees them (domain ``PermitFacts``), loaded from the database."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar, cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from exportguard.db.models import (
    Party,
    Permit,
    PermitLine,
    PermitLineUsage,
    PermitStateChange,
    ShipmentLine,
)
from exportguard.domain.access import Actor
from exportguard.domain.authorisation import Drawn, LicensedLine, PermitFacts
from exportguard.domain.permits import PermitCommand, PermitState, StateChange
from exportguard.services.kernel.common import record_id
from exportguard.services.permits.visibility import visible_permits

T = TypeVar("T")


# Ids per IN list: a query binds one parameter per id, and drivers stop at a limit (psycopg's is
# 65,535), so many permits are read a chunk at a time.
CHUNK = 5_000


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def facts_of(session: Session, permits: Sequence[Permit], *, names: bool = True) -> list[PermitFacts]:
    """Facts for ``permits``, three queries per chunk of ``CHUNK`` (lines, histories, and consignee
    names unless not ``names``: a drawdown that declares no consignee does not need them)."""
    return [f for part in chunks(permits) for f in _facts_of(session, part, names=names)]


def _facts_of(session: Session, permits: Sequence[Permit], *, names: bool) -> list[PermitFacts]:
    ids = [p.id for p in permits]
    if not ids:
        return []
    carried = _carried(session, [p for p in permits if p.version > 1])
    lines: dict[int, list[LicensedLine]] = {}
    for pl in session.scalars(
        select(PermitLine).where(PermitLine.permit_id.in_(ids)).order_by(PermitLine.line_no)
    ):
        lines.setdefault(pl.permit_id, []).append(
            LicensedLine(
                pl.line_no,
                pl.id,
                pl.item_code,
                pl.product_id,
                pl.quantity,
                pl.unit_value,
                pl.currency,
                carried.get((pl.permit_id, pl.application_line_id), Drawn()),
            )
        )
    history: dict[int, list[StateChange]] = {}
    for c in session.scalars(
        select(PermitStateChange)
        .where(PermitStateChange.permit_id.in_(ids))
        .order_by(PermitStateChange.permit_id, PermitStateChange.effective_date, PermitStateChange.id)
    ):
        history.setdefault(c.permit_id, []).append(
            StateChange(PermitState(c.state), PermitCommand(c.command), c.effective_date)
        )
    consignees = (
        dict(
            session.execute(
                select(Party.id, Party.name).where(Party.id.in_({p.consignee_id for p in permits}))
            ).all()
        )
        if names
        else {}
    )
    return [
        PermitFacts(
            id=p.id,
            number=p.number,
            version=p.version,
            holder_id=p.holder_id,
            consignee_id=p.consignee_id,
            consignee=consignees.get(p.consignee_id, ""),
            destination=p.destination_code,
            issued_on=p.issued_on,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
            history=tuple(history.get(p.id, ())),
            lines=tuple(lines.get(p.id, ())),
        )
        for p in permits
    ]


def _carried(session: Session, amended: Sequence[Permit]) -> dict[tuple[int, int], Drawn]:
    """Per (amended permit, application line): what its earlier versions shipped (EIPA s.10(1)).

    Earlier versions are superseded, so nothing more is drawn on them: the figure is settled.
    """
    out: dict[tuple[int, int], Drawn] = {}
    for permit in amended:
        for app_line, drawn in _carried_one(session, permit.number, permit.version).items():
            out[(permit.id, app_line)] = drawn
    return out


def _carried_one(session: Session, number: str, version: int) -> dict[int, Drawn]:
    """Per application line: what the versions of permit ``number`` before ``version`` shipped."""
    earlier = aliased(Permit)
    rows = session.execute(
        select(PermitLine.application_line_id, func.sum(ShipmentLine.quantity), func.sum(ShipmentLine.value))
        .join(PermitLine, PermitLine.id == ShipmentLine.permit_line_id)
        .join(earlier, earlier.id == PermitLine.permit_id)
        .where(earlier.number == number, earlier.version < version)
        .group_by(PermitLine.application_line_id)
    )
    return {app_line: Drawn(int(qty), Decimal(value)) for app_line, qty, value in rows}


# Core columns of the tables (not ORM attributes): an ORM-enabled SELECT costs more Python than the
# query, and every drawdown runs this one. Built once, the permit id bound at execution.
_P, _PL, _SC, _PARTY = (cast(Table, m.__table__).c for m in (Permit, PermitLine, PermitStateChange, Party))
_ONE_PERMIT = (
    select(
        _P.id,
        _P.number,
        _P.version,
        _P.holder_id,
        _P.consignee_id,
        _PARTY.name,
        _P.destination_code,
        _P.issued_on,
        _P.valid_from,
        _P.valid_to,
        _PL.line_no,
        _PL.id,
        _PL.item_code,
        _PL.product_id,
        _PL.quantity,
        _PL.unit_value,
        _PL.currency,
        _PL.application_line_id,
        _SC.id,
        _SC.state,
        _SC.command,
        _SC.effective_date,
    )
    .select_from(cast(Table, Permit.__table__))
    .outerjoin(cast(Table, Party.__table__), _PARTY.id == _P.consignee_id)
    .outerjoin(cast(Table, PermitLine.__table__), _PL.permit_id == _P.id)
    .outerjoin(cast(Table, PermitStateChange.__table__), _SC.permit_id == _P.id)
    .where(_P.id == bindparam("permit_id"))
    .order_by(_PL.line_no, _SC.effective_date, _SC.id)
)
_HOLD_PERMIT = select(_P.id).where(_P.id == bindparam("permit_id")).with_for_update(read=True)


def facts_for_drawdown(session: Session, permit_id: int) -> PermitFacts | None:
    """One permit's facts in one query (lines x history), its row held FOR SHARE until commit.

    FOR SHARE: drawdowns on one permit do not queue on each other, but an EIPA s.10 act, alone
    (SELECT ... FOR UPDATE) or in bulk (UPDATE permits ...), waits for them, and they for it. The
    row is held by a statement of its own before the facts are read: a drawdown that waited for a
    suspension must read the suspension. (One statement locking and joining would not: PostgreSQL
    re-reads the locked row after the wait, but keeps the joined history it had found before.) An
    amended permit asks once more for what its earlier versions shipped.
    """
    if session.execute(_HOLD_PERMIT, {"permit_id": permit_id}).first() is None:
        return None
    rows = session.execute(_ONE_PERMIT, {"permit_id": permit_id}).all()
    first = rows[0]
    carried = _carried_one(session, first[1], first[2]) if first[2] > 1 else {}
    lines: dict[int, LicensedLine] = {}
    history: dict[int, StateChange] = {}
    for r in rows:
        if r[11] is not None and r[11] not in lines:
            lines[r[11]] = LicensedLine(
                r[10], r[11], r[12], r[13], r[14], r[15], r[16], carried.get(r[17], Drawn())
            )
        if r[18] is not None and r[18] not in history:
            history[r[18]] = StateChange(PermitState(r[19]), PermitCommand(r[20]), r[21])
    return PermitFacts(
        id=first[0],
        number=first[1],
        version=first[2],
        holder_id=first[3],
        consignee_id=first[4],
        consignee=first[5] or "",
        destination=first[6],
        issued_on=first[7],
        valid_from=first[8],
        valid_to=first[9],
        history=tuple(history.values()),  # in (effective date, id) order, as asked
        lines=tuple(lines.values()),  # in line order
    )


def versions_of(session: Session, actor: Actor, presented: str | int) -> list[PermitFacts]:
    """Every version of the permit presented (by number), or the one version with that id.

    Exporters see only their own organisation's permits: any other is "no permit" to them.
    """
    key = str(presented).strip()
    stmt = select(Permit)
    found = record_id(key)
    stmt = stmt.where(Permit.id == found) if found is not None else stmt.where(Permit.number == key)
    stmt = stmt.where(visible_permits(actor))
    return facts_of(session, session.scalars(stmt.order_by(Permit.version)).all())


def drawn_by_line_id(session: Session, line_ids: Iterable[int]) -> dict[int, Drawn]:
    """What has been drawn on each permit line (the running balance), keyed by line id."""
    out: dict[int, Drawn] = {}
    for part in chunks(list(line_ids)):
        rows = session.execute(
            select(PermitLineUsage.permit_line_id, PermitLineUsage.quantity, PermitLineUsage.value).where(
                PermitLineUsage.permit_line_id.in_(part)
            )
        )
        out.update((line_id, Drawn(int(qty), Decimal(value))) for line_id, qty, value in rows)
    return out


PERMITS_CHANGED = "permits_changed"


def mark_permits_changed(session: Session) -> None:
    """Tell the read model (on commit) that a permit, its history or its shipments changed.

    ORM flushes of watched rows say so themselves; a Core statement on those tables says it here.
    """
    session.info[PERMITS_CHANGED] = True


def drawn_on(session: Session, permit: PermitFacts) -> dict[int, Drawn]:
    """What has been drawn on each line of ``permit``, keyed by line number."""
    by_id = drawn_by_line_id(session, [ln.line_id for ln in permit.lines])
    return {ln.line_no: by_id[ln.line_id] for ln in permit.lines if ln.line_id in by_id}
