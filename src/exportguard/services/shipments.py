"""Shipments: exports recorded against a permit, idempotent by customs declaration."""

from __future__ import annotations

from datetime import date

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Permit, Shipment, ShipmentLine
from exportguard.domain import permits as permit_rules
from exportguard.domain import shipments as rules
from exportguard.domain.access import Action
from exportguard.domain.audit import AuditEntry
from exportguard.domain.errors import Conflict, Problem
from exportguard.services.common import Input, NonEmpty, View
from exportguard.services.permit_views import shipped_by_line
from exportguard.services.permits import history_of, load_permit
from exportguard.services.unit_of_work import UnitOfWork

LEGAL_BASIS = "EPR s.5-6; EIPA s.13"


class ShipmentLineInput(Input):
    permit_line_no: int = Field(ge=1)
    quantity: int


class ShipmentInput(Input):
    declaration_id: NonEmpty = Field(max_length=64, description="Customs declaration: the idempotency key")
    permit_id: int
    shipped_on: date
    port: str = Field(default="", max_length=120)
    lines: list[ShipmentLineInput] = Field(min_length=1)


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
    lines: list[ShipmentLineView]


def shipment_view(session: Session, shipment: Shipment) -> ShipmentView:
    permit = session.get(Permit, shipment.permit_id)
    assert permit is not None  # foreign key
    by_id = {pl.id: pl for pl in permit.lines}
    return ShipmentView(
        id=shipment.id,
        declaration_id=shipment.declaration_id,
        permit_id=permit.id,
        permit_number=f"{permit.number}/v{permit.version}",
        shipped_on=shipment.shipped_on,
        port=shipment.port,
        recorded_by=shipment.recorded_by,
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
    )


def _same(view: ShipmentView, data: ShipmentInput) -> bool:
    return (
        view.permit_id,
        view.shipped_on,
        sorted((ln.permit_line_no, ln.quantity) for ln in view.lines),
    ) == (
        data.permit_id,
        data.shipped_on,
        sorted((ln.permit_line_no, ln.quantity) for ln in data.lines),
    )


def record_shipment(uow: UnitOfWork, data: ShipmentInput) -> ShipmentView:
    """Record an export against a permit; the same declaration again changes nothing (STYLE 13)."""
    uow.require(Action.RECORD_SHIPMENT)
    session = uow.session
    actor = uow.actor
    # Locking the permit queues concurrent shipments on it, so two cannot both take the remainder.
    permit = load_permit(
        session, actor.organisation_id, actor.limited_to_own_records, data.permit_id, lock=True
    )
    existing = session.scalar(select(Shipment).where(Shipment.declaration_id == data.declaration_id))
    if existing is not None:
        view = shipment_view(session, existing)
        if not _same(view, data):
            raise Conflict(
                f"declaration {data.declaration_id} is already recorded with other content",
                [Problem("declaration_id", "already recorded for a different shipment")],
            )
        return view
    status = permit_rules.status_on(
        history_of(session, permit.id),
        data.shipped_on,
        valid_from=permit.valid_from,
        valid_to=permit.valid_to,
    )
    rules.check_permit_in_force(permit.number, status, data.shipped_on)
    shipped = shipped_by_line(session, [permit.id])
    by_no = {pl.line_no: pl for pl in permit.lines}
    requested: dict[int, int] = {}
    for ln in data.lines:
        if ln.permit_line_no in requested:
            raise Conflict("a line may appear once", [Problem(f"lines[{ln.permit_line_no}]", "repeated")])
        requested[ln.permit_line_no] = ln.quantity
    rules.check_within_remaining(
        requested, {no: pl.quantity - shipped.get(pl.id, 0) for no, pl in by_no.items()}
    )
    shipment = Shipment(
        declaration_id=data.declaration_id,
        permit_id=permit.id,
        shipped_on=data.shipped_on,
        port=data.port,
        recorded_at=uow.clock.now(),
        recorded_by=actor.principal,
        lines=[
            ShipmentLine(
                permit_line_id=by_no[no].id,
                quantity=qty,
                value=by_no[no].unit_value * qty,
                currency=by_no[no].currency,
            )
            for no, qty in sorted(requested.items())
        ],
    )
    session.add(shipment)
    session.flush()
    view = shipment_view(session, shipment)
    uow.record(
        AuditEntry(
            "record_shipment",
            "shipment",
            shipment.id,
            data.declaration_id[:64],
            LEGAL_BASIS,
            f"export against permit {permit.number}/v{permit.version}",
            data.shipped_on,
            None,
            view.model_dump(mode="json", exclude={"id"}),
        )
    )
    uow.commit()
    return view


def list_shipments(session: Session, permit_id: int) -> list[ShipmentView]:
    rows = session.scalars(
        select(Shipment).where(Shipment.permit_id == permit_id).order_by(Shipment.shipped_on)
    )
    return [shipment_view(session, s) for s in rows]
