"""Figures read from the records, as aggregates: actual exports and authorised exports in a year.

One SQL aggregate per question, grouped by (destination, ECL item, currency, exporter): everything
the reports publish is summed from these few rows in Python (domain/transparency.py), so a report
over ten million shipment lines costs one scan. ``recorded_by`` answers "as the data stood then":
only what had been recorded by that moment counts (the tabled report of 31 May, reproducibly).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from exportguard.db.models import Permit, PermitLine, Shipment, ShipmentLine
from exportguard.domain.transparency import REPORTED_GROUPS, ExportRow


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
    stmt = (
        select(
            Permit.destination_code,
            PermitLine.item_code,
            PermitLine.currency,
            Permit.holder_id,
            func.sum(ShipmentLine.quantity),
            func.sum(ShipmentLine.value),
            func.count(ShipmentLine.id),
        )
        .select_from(ShipmentLine)
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .join(PermitLine, PermitLine.id == ShipmentLine.permit_line_id)
        .join(Permit, Permit.id == Shipment.permit_id)
        .where(
            Shipment.shipped_on >= first, Shipment.shipped_on <= last, reported_items(PermitLine.item_code)
        )
        .group_by(Permit.destination_code, PermitLine.item_code, PermitLine.currency, Permit.holder_id)
    )
    if recorded_by is not None:
        stmt = stmt.where(Shipment.recorded_at <= recorded_by)
    return stmt


def actual_exports(session: Session, year: int, recorded_by: datetime | None = None) -> list[ExportRow]:
    """Shipments in the year (reversals net them out), per destination, item, currency and exporter.

    ``shipments`` counts declaration lines (a declaration naming two permit lines counts twice).
    """
    return [
        ExportRow(dest, item, currency, holder, int(qty or 0), Decimal(value or 0), int(lines))
        for dest, item, currency, holder, qty, value, lines in session.execute(
            actual_exports_query(year, recorded_by)
        )
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
