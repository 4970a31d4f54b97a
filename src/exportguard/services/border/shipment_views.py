"""What readers see of a shipment entry (an export, or a reversal of an earlier one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Permit, PermitLine, Shipment, ShipmentLine
from exportguard.domain.authorisation import PermitFacts
from exportguard.domain.shipments import Declaration, DeclaredLine
from exportguard.services.kernel.common import View
from exportguard.services.parties.diversion_flags import FlagView


@dataclass(frozen=True)
class EntryLine:
    permit_line_id: int
    quantity: int
    value: Decimal
    currency: str


@dataclass(frozen=True)
class NewEntry:
    """A shipment entry just written by Core statements (the hot path builds no ORM instance)."""

    id: int
    declaration_id: str
    shipped_on: date
    port: str
    recorded_by: str
    recorded_at: datetime
    reason: str
    lines: tuple[EntryLine, ...]


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
    # Shown beside a recorded export, as the border's check shows them; not part of the entry.
    diversion_flags: list[FlagView] = []

    def audit_form(self) -> dict[str, Any]:
        return self.model_dump(
            mode="json", exclude={"id", "already_recorded", "recorded_at", "diversion_flags"}
        )


def _lines_by_id(session: Session, permit_id: int) -> dict[int, PermitLine]:
    return {pl.id: pl for pl in session.scalars(select(PermitLine).where(PermitLine.permit_id == permit_id))}


def _view(
    shipment: Shipment | NewEntry,
    permit_id: int,
    permit_ref: str,
    lines: dict[int, tuple[int, str]],
    reverses: str | None = None,
    *,
    already_recorded: bool = False,
) -> ShipmentView:
    """``lines``: permit line id -> (line number, list item)."""
    entry_lines: Sequence[ShipmentLine | EntryLine] = shipment.lines
    return ShipmentView(
        id=shipment.id,
        declaration_id=shipment.declaration_id,
        permit_id=permit_id,
        permit_number=permit_ref,
        shipped_on=shipment.shipped_on,
        port=shipment.port,
        recorded_by=shipment.recorded_by,
        recorded_at=shipment.recorded_at,
        reverses=reverses,
        reason=shipment.reason,
        lines=[
            ShipmentLineView(
                permit_line_no=lines[sl.permit_line_id][0],
                item_code=lines[sl.permit_line_id][1],
                quantity=sl.quantity,
                value=str(sl.value),
                currency=sl.currency,
            )
            for sl in sorted(entry_lines, key=lambda sl: lines[sl.permit_line_id][0])
        ],
        already_recorded=already_recorded,
    )


def shipment_view(session: Session, shipment: Shipment, *, already_recorded: bool = False) -> ShipmentView:
    permit = session.get_one(Permit, shipment.permit_id)
    reverses = (
        session.scalar(select(Shipment.declaration_id).where(Shipment.id == shipment.reverses_id))
        if shipment.reverses_id
        else None
    )
    lines = {i: (pl.line_no, pl.item_code) for i, pl in _lines_by_id(session, permit.id).items()}
    ref = f"{permit.number}/v{permit.version}"
    return _view(shipment, permit.id, ref, lines, reverses, already_recorded=already_recorded)


def view_from_facts(shipment: Shipment | NewEntry, permit: PermitFacts) -> ShipmentView:
    """The view of a new export entry, from the permit's facts already in hand (no query)."""
    return _view(
        shipment, permit.id, permit.ref, {ln.line_id: (ln.line_no, ln.item_code) for ln in permit.lines}
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
