"""Figures read from the records, as aggregates: actual exports and authorised exports in a year.

One SQL aggregate per question, grouped by (destination, ECL item, currency, exporter): everything
the reports publish is summed from these few rows in Python (domain/transparency.py). Actual exports
read the daily roll-up (rollups.py) and only the lines recorded since, so a report over ten million
shipment lines does not scan them. ``recorded_by`` answers "as the data stood then":
only what had been recorded by that moment counts (the tabled report of 31 May, reproducibly).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from exportguard.db.models import ExportRollup, Permit, PermitLine, Shipment
from exportguard.domain.transparency import REPORTED_GROUPS, ExportRow
from exportguard.services.transparency.rollups import current_seal, lines_summed


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` (UTC): "as of 31 May" includes what was recorded that day."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC) - timedelta(microseconds=1)


def reported_items(column: InstrumentedAttribute[str]) -> ColumnElement[bool]:
    """ECL items of the reported groups (2-x and 9-x codes)."""
    return or_(*(column.like(f"{g}-%") for g in REPORTED_GROUPS))


def actual_exports_query(
    year: int, recorded_by: datetime | None = None
) -> Select[str, str, str, int, int, Decimal, int]:
    first, last = year_bounds(year)
    stmt = lines_summed().where(
        Shipment.shipped_on >= first, Shipment.shipped_on <= last, reported_items(PermitLine.item_code)
    )
    if recorded_by is not None:
        stmt = stmt.where(Shipment.recorded_at <= recorded_by)
    return stmt


def actual_exports(session: Session, year: int, recorded_by: datetime | None = None) -> list[ExportRow]:
    """Shipments in the year (reversals net them out), per destination, item, currency and exporter.

    ``shipments`` counts declaration lines (a declaration naming two permit lines counts twice).
    The rolled-up days (services/transparency/rollups.py) are read from the roll-up and the rest from
    the lines, which gives the lines' own sums; "as recorded by" a moment that is not the end of a
    UTC day is summed from the lines alone.
    """
    seal = current_seal(session)
    if seal is None or (recorded_by is not None and not _ends_a_day(recorded_by)):
        return _rows(session.execute(actual_exports_query(year, recorded_by)))
    rolled = (
        select(
            ExportRollup.destination_code,
            ExportRollup.item_code,
            ExportRollup.currency,
            ExportRollup.holder_id,
            func.sum(ExportRollup.quantity),
            func.sum(ExportRollup.value),
            func.sum(ExportRollup.lines),
        )
        .where(ExportRollup.shipped_year == year, reported_items(ExportRollup.item_code))
        .group_by(
            ExportRollup.destination_code,
            ExportRollup.item_code,
            ExportRollup.currency,
            ExportRollup.holder_id,
        )
    )
    if recorded_by is not None:
        rolled = rolled.where(ExportRollup.recorded_on <= recorded_by.astimezone(UTC).date())
    # The lines outside the seal, by two index ranges (recorded since; or a higher id recorded
    # earlier): one OR over both would scan every shipment.
    since = actual_exports_query(year, recorded_by).where(Shipment.recorded_at >= seal.covers_before)
    late = actual_exports_query(year, recorded_by).where(
        Shipment.recorded_at < seal.covers_before, Shipment.id > seal.max_shipment_id
    )
    return _rows([*session.execute(rolled), *session.execute(since), *session.execute(late)])


def _ends_a_day(moment: datetime) -> bool:
    return (moment + timedelta(microseconds=1)).astimezone(UTC).time() == time()


def _rows(result: Iterable[Sequence[Any]]) -> list[ExportRow]:
    sums: dict[tuple[str, str, str, int], list[Any]] = {}
    for row in result:
        dest, item, currency, holder, qty, value, lines = row
        acc = sums.setdefault((dest, item, currency, holder), [0, Decimal(0), 0])
        acc[0] += int(qty or 0)
        acc[1] += Decimal(value or 0)
        acc[2] += int(lines)
    return [
        ExportRow(dest, item, currency, holder, qty, value, lines)
        for (dest, item, currency, holder), (qty, value, lines) in sorted(sums.items())
    ]


def authorised_exports(session: Session, year: int) -> list[ExportRow]:
    """Permits issued in the year (first versions: an amendment is not a new authorisation), their
    licensed quantities and values, per destination, item, currency and holder."""
    first, last = year_bounds(year)
    value = PermitLine.quantity * PermitLine.unit_value
    rows = session.execute(
        select(
            Permit.destination_code,
            PermitLine.item_code,
            PermitLine.currency,
            Permit.holder_id,
            func.sum(PermitLine.quantity),
            func.sum(value),
            func.count(PermitLine.id),
        )
        .join(Permit, Permit.id == PermitLine.permit_id)
        .where(
            and_(Permit.issued_on >= first, Permit.issued_on <= last, Permit.version == 1),
            reported_items(PermitLine.item_code),
        )
        .group_by(Permit.destination_code, PermitLine.item_code, PermitLine.currency, Permit.holder_id)
    )
    return [
        ExportRow(
            dest, item, currency, holder, int(qty or 0), Decimal(val or 0).quantize(Decimal("0.01")), int(n)
        )
        for dest, item, currency, holder, qty, val, n in rows
    ]


def permits_issued(
    session: Session, year: int, *, items: tuple[str, ...] = (), destination: str | None = None
) -> int:
    first, last = year_bounds(year)
    stmt = (
        select(func.count(func.distinct(Permit.id)))
        .join(PermitLine, PermitLine.permit_id == Permit.id)
        .where(Permit.issued_on >= first, Permit.issued_on <= last, Permit.version == 1)
        .where(reported_items(PermitLine.item_code))
    )
    if items:
        stmt = stmt.where(
            or_(*(or_(PermitLine.item_code == i, PermitLine.item_code.like(i + ".%")) for i in items))
        )
    if destination is not None:
        stmt = stmt.where(Permit.destination_code == destination)
    return int(session.scalar(stmt) or 0)
