"""What readers see of a shipment entry (an export, or a reversal of an earlier one)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Permit, PermitLine, Shipment
from exportguard.domain.shipments import Declaration, DeclaredLine
from exportguard.services.common import View


class ShipmentLineView(View):
    permit_line_no: int
    item_code: str
    quantity: int
    value: str
    currency: str


class ShipmentView(View):
    id: int
    declaration_id: str
    permit_id: int
    permit_number: str
    shipped_on: date
    port: str
    recorded_by: str
    recorded_at: datetime
    reverses: str | None = None
    reason: str = ""
    lines: list[ShipmentLineView]
    already_recorded: bool = False

    def audit_form(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"id", "already_recorded", "recorded_at"})


def _lines_by_id(session: Session, permit_id: int) -> dict[int, PermitLine]:
    return {pl.id: pl for pl in session.scalars(select(PermitLine).where(PermitLine.permit_id == permit_id))}


def shipment_view(session: Session, shipment: Shipment, *, already_recorded: bool = False) -> ShipmentView:
    permit = session.get(Permit, shipment.permit_id)
    assert permit is not None  # foreign key
    by_id = _lines_by_id(session, permit.id)
    reverses = (
        session.scalar(select(Shipment.declaration_id).where(Shipment.id == shipment.reverses_id))
        if shipment.reverses_id
        else None
    )
    return ShipmentView(
        id=shipment.id,
        declaration_id=shipment.declaration_id,
        permit_id=permit.id,
        permit_number=f"{permit.number}/v{permit.version}",
        shipped_on=shipment.shipped_on,
        port=shipment.port,
        recorded_by=shipment.recorded_by,
        recorded_at=shipment.recorded_at,
        reverses=reverses,
        reason=shipment.reason,
        lines=[
            ShipmentLineView(
                permit_line_no=by_id[sl.permit_line_id].line_no,
                item_code=by_id[sl.permit_line_id].item_code,
                quantity=sl.quantity,
                value=str(sl.value),
                currency=sl.currency,
            )
            for sl in sorted(shipment.lines, key=lambda sl: by_id[sl.permit_line_id].line_no)
        ],
        already_recorded=already_recorded,
    )


def declaration_of(session: Session, shipment: Shipment) -> Declaration:
    by_id = _lines_by_id(session, shipment.permit_id)
    return Declaration(
        shipment.permit_id,
        shipment.shipped_on,
        shipment.port,
        tuple(
            DeclaredLine(by_id[sl.permit_line_id].line_no, sl.quantity, Decimal(sl.value))
            for sl in shipment.lines
        ),
    )


def list_shipments(session: Session, permit_id: int) -> list[ShipmentView]:
    rows = session.scalars(
        select(Shipment).where(Shipment.permit_id == permit_id).order_by(Shipment.shipped_on, Shipment.id)
    )
    return [shipment_view(session, s) for s in rows]
