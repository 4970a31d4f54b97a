"""Officials' drill-down: the records behind one published figure (a destination x item cell)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Party, Permit, PermitLine, Shipment, ShipmentLine
from exportguard.domain.access import Action, Actor, require
from exportguard.services.transparency.figures import end_of_day, reported_items, year_bounds


class CellRecord(BaseModel):
    declaration_id: str
    shipped_on: date
    permit: str
    exporter: str
    item_code: str
    quantity: int
    value: Decimal
    currency: str


def cell_records(
    session: Session,
    actor: Actor,
    year: int,
    *,
    destination: str | None = None,
    item_code: str | None = None,
    as_of: date | None = None,
    limit: int = 1000,
) -> list[CellRecord]:
    """The shipment lines summed into a figure of ``year`` (same filters as the report's query)."""
    require(actor, Action.READ_REPORTS)
    first, last = year_bounds(year)
    stmt = (
        select(
            Shipment.declaration_id,
            Shipment.shipped_on,
            Permit.number,
            Permit.version,
            Party.name,
            PermitLine.item_code,
            ShipmentLine.quantity,
            ShipmentLine.value,
            PermitLine.currency,
        )
        .select_from(ShipmentLine)
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .join(PermitLine, PermitLine.id == ShipmentLine.permit_line_id)
        .join(Permit, Permit.id == Shipment.permit_id)
        .join(Party, Party.id == Permit.holder_id)
        .where(
            Shipment.shipped_on >= first, Shipment.shipped_on <= last, reported_items(PermitLine.item_code)
        )
        .order_by(Shipment.shipped_on, Shipment.declaration_id, ShipmentLine.id)
        .limit(limit)
    )
    if destination is not None:
        stmt = stmt.where(Permit.destination_code == destination.strip().upper())
    if item_code is not None:
        stmt = stmt.where(PermitLine.item_code == item_code.strip())
    if as_of is not None:
        stmt = stmt.where(Shipment.recorded_at <= end_of_day(as_of))
    return [
        CellRecord(
            declaration_id=d,
            shipped_on=on,
            permit=f"{n}/v{v}",
            exporter=holder,
            item_code=item,
            quantity=q,
            value=val,
            currency=cur,
        )
        for d, on, n, v, holder, item, q, val, cur in session.execute(stmt)
    ]
