"""The export roll-up: each closed day's shipment lines summed once, so a report reads few rows.

A run takes every shipment recorded before midnight (UTC) of the day before ``now`` (the grace day
lets any transaction still open commit first) and every shipment with an id above the last run's
(entries recorded late, e.g. with a clock set back), and adds what the last run did not have to
``export_rollups``. The seal it writes says exactly which shipments are in: those recorded before
``covers_before`` with an id up to ``max_shipment_id``. Figures are the roll-up plus the lines
outside the seal (figures.actual_exports), which equals the sum over all the lines at every moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Date, Select, and_, extract, func, insert, select, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction

from exportguard.db.models import ExportRollup, ExportRollupSeal, Permit, PermitLine, Shipment, ShipmentLine

GRACE = timedelta(days=1)
Key = tuple[int, date, str, str, str, int]


class utc_day(GenericFunction[date]):  # noqa: N801 (an SQL function's name)
    """The UTC calendar day of a timestamp column (stored in UTC on both databases)."""

    type = Date()
    inherit_cache = True


@compiles(utc_day, "postgresql")
def _utc_day_pg(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC' AS DATE)"


@compiles(utc_day)
def _utc_day_default(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


@dataclass(frozen=True)
class RollUp:
    """What one run did: lines added, roll-up rows written, and how far the seal now reaches."""

    lines_added: int
    rows_written: int
    covers_before: datetime
    max_shipment_id: int


def current_seal(session: Session) -> ExportRollupSeal | None:
    return session.scalars(select(ExportRollupSeal).order_by(ExportRollupSeal.id.desc()).limit(1)).first()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def lines_summed(*leading: ColumnElement[Any]) -> Select[Any]:
    """Shipment lines summed per ``leading`` columns, destination, item, currency and exporter."""
    keys = (*leading, Permit.destination_code, PermitLine.item_code, PermitLine.currency, Permit.holder_id)
    return (
        select(
            *keys, func.sum(ShipmentLine.quantity), func.sum(ShipmentLine.value), func.count(ShipmentLine.id)
        )
        .select_from(ShipmentLine)
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .join(PermitLine, PermitLine.id == ShipmentLine.permit_line_id)
        .join(Permit, Permit.id == Shipment.permit_id)
        .group_by(*keys)
    )


def _delta_rows(session: Session, condition: ColumnElement[bool]) -> list[tuple[Key, int, Decimal, int]]:
    rows = session.execute(
        lines_summed(extract("year", Shipment.shipped_on), utc_day(Shipment.recorded_at)).where(condition)
    )
    out = []
    for year, day, dest, item, currency, holder, qty, value, lines in rows:
        recorded_on = day if isinstance(day, date) else date.fromisoformat(str(day))
        out.append(
            (
                (int(year), recorded_on, dest, item, currency, int(holder)),
                int(qty),
                Decimal(value),
                int(lines),
            )
        )
    return out


def _merge(session: Session, delta: Iterable[tuple[Key, int, Decimal, int]]) -> int:
    """Add ``delta`` to the roll-up: new keys inserted, existing ones increased (few round trips)."""
    sums: dict[Key, list[Any]] = {}
    for key, qty, value, lines in delta:
        acc = sums.setdefault(key, [0, Decimal(0), 0])
        acc[0] += qty
        acc[1] += value
        acc[2] += lines
    if not sums:
        return 0
    days = sorted({k[1] for k in sums})
    existing: dict[Key, tuple[int, int, Decimal, int]] = {}
    for chunk in range(0, len(days), 500):
        for r in session.scalars(
            select(ExportRollup).where(ExportRollup.recorded_on.in_(days[chunk : chunk + 500]))
        ):
            key = (r.shipped_year, r.recorded_on, r.destination_code, r.item_code, r.currency, r.holder_id)
            existing[key] = (r.id, r.quantity, r.value, r.lines)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for key, (qty, value, lines) in sums.items():
        if key in existing:
            rid, q0, v0, n0 = existing[key]
            updates.append({"id": rid, "quantity": q0 + qty, "value": v0 + value, "lines": n0 + lines})
        else:
            year, day, dest, item, currency, holder = key
            inserts.append(
                {
                    "shipped_year": year,
                    "recorded_on": day,
                    "destination_code": dest,
                    "item_code": item,
                    "currency": currency,
                    "holder_id": holder,
                    "quantity": qty,
                    "value": value,
                    "lines": lines,
                }
            )
    if inserts:
        session.execute(insert(ExportRollup), inserts)
    if updates:
        session.execute(update(ExportRollup), updates)
    return len(inserts) + len(updates)


def roll_up(session: Session, now: datetime, *, grace: timedelta = GRACE) -> RollUp | None:
    """Add to the roll-up what has been recorded since the last run; ``None`` when nothing has.

    The caller commits. Two runs from the same point cannot both commit (``follows_id`` is unique).
    """
    previous = current_seal(session)
    covers_before = _midnight((now - grace).astimezone(UTC).date())
    newest = int(session.scalar(select(func.max(Shipment.id))) or 0)
    if previous is not None:
        covers_before = max(covers_before, previous.covers_before)
        newest = max(newest, previous.max_shipment_id)
        if covers_before == previous.covers_before and newest == previous.max_shipment_id:
            return None
    seal = ExportRollupSeal(
        follows_id=previous.id if previous else 0,
        sealed_at=now,
        covers_before=covers_before,
        max_shipment_id=newest,
        lines_added=0,
    )
    session.add(seal)
    session.flush()  # claims the run: a concurrent one from the same point waits here, then fails
    within = and_(Shipment.recorded_at < covers_before, Shipment.id <= newest)
    if previous is None:
        delta = _delta_rows(session, within)
    else:
        # In now, not in before: recorded in the days just closed, or above the last run's id.
        delta = _delta_rows(
            session, and_(within, Shipment.recorded_at >= previous.covers_before)
        ) + _delta_rows(
            session,
            and_(
                Shipment.recorded_at < previous.covers_before,
                Shipment.id > previous.max_shipment_id,
                Shipment.id <= newest,
            ),
        )
    seal.lines_added = sum(lines for *_, lines in delta)
    written = _merge(session, delta)
    return RollUp(seal.lines_added, written, covers_before, newest)
