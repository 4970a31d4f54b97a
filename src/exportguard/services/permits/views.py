"""What readers see of a permit: lines with usage, status on a date, and its timeline."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Party, Permit, PermitLine, PermitStateChange
from exportguard.domain import permits as rules
from exportguard.domain.permits import PermitCommand, PermitState
from exportguard.services.kernel.common import View
from exportguard.services.permits.shipped import shipped_by_line


class PermitLineView(View):
    line_no: int
    product_id: int
    item_code: str
    description: str
    quantity: int
    unit: str
    unit_value: Decimal
    currency: str
    shipped_quantity: int = 0
    remaining_quantity: int = 0


class TimelineEntry(View):
    state: str
    command: str
    effective_date: date
    recorded_at: datetime
    principal: str
    reason: str
    legal_basis: str


class PermitView(View):
    id: int
    number: str
    version: int
    supersedes_id: int | None
    application_id: int
    holder_id: int
    holder: str
    consignee_id: int
    consignee: str
    end_user_id: int | None
    end_user: str | None
    destination: str
    state: str
    status: str | None
    exhausted: bool
    issued_on: date
    valid_from: date
    valid_to: date
    conditions: str
    item_codes: list[str]
    lines: list[PermitLineView]
    timeline: list[TimelineEntry] = []

    def audit_form(self) -> dict[str, Any]:
        return self.model_dump(
            mode="json",
            include={
                "number",
                "version",
                "holder_id",
                "consignee_id",
                "end_user_id",
                "destination",
                "state",
                "issued_on",
                "valid_from",
                "valid_to",
                "conditions",
                "lines",
            },
        )


def permit_view(
    session: Session, permit: Permit, *, as_of: date | None = None, today: date | None = None
) -> PermitView:
    names = {
        p.id: p.name
        for p in session.scalars(
            select(Party).where(
                Party.id.in_([i for i in (permit.holder_id, permit.consignee_id, permit.end_user_id) if i])
            )
        )
    }
    changes = session.scalars(
        select(PermitStateChange)
        .where(PermitStateChange.permit_id == permit.id)
        .order_by(PermitStateChange.effective_date, PermitStateChange.id)
    ).all()
    history = [
        rules.StateChange(PermitState(c.state), PermitCommand(c.command), c.effective_date) for c in changes
    ]
    day = as_of or today
    status = (
        rules.status_on(history, day, valid_from=permit.valid_from, valid_to=permit.valid_to)
        if day
        else permit.state
    )
    shipped = {
        line: quantity for line, (quantity, _value) in shipped_by_line(session, [permit.id], as_of).items()
    }
    lines = [
        PermitLineView(
            line_no=pl.line_no,
            product_id=pl.product_id,
            item_code=pl.item_code,
            description=pl.description,
            quantity=pl.quantity,
            unit=pl.unit,
            unit_value=pl.unit_value,
            currency=pl.currency,
            shipped_quantity=shipped.get(pl.id, 0),
            remaining_quantity=pl.quantity - shipped.get(pl.id, 0),
        )
        for pl in permit.lines
    ]
    return PermitView(
        id=permit.id,
        number=permit.number,
        version=permit.version,
        supersedes_id=permit.supersedes_id,
        application_id=permit.application_id,
        holder_id=permit.holder_id,
        holder=names.get(permit.holder_id, ""),
        consignee_id=permit.consignee_id,
        consignee=names.get(permit.consignee_id, ""),
        end_user_id=permit.end_user_id,
        end_user=names.get(permit.end_user_id) if permit.end_user_id else None,
        destination=permit.destination_code,
        state=permit.state,
        status=status,
        exhausted=bool(lines) and all(line.remaining_quantity <= 0 for line in lines),
        issued_on=permit.issued_on,
        valid_from=permit.valid_from,
        valid_to=permit.valid_to,
        conditions=permit.conditions,
        item_codes=sorted({pl.item_code for pl in permit.lines}),
        lines=lines,
        timeline=[
            TimelineEntry.model_validate(c) for c in changes if as_of is None or c.effective_date <= as_of
        ],
    )


def permit_lines(session: Session, permit_ids: list[int]) -> dict[int, list[PermitLine]]:
    out: dict[int, list[PermitLine]] = {}
    for line in session.scalars(select(PermitLine).where(PermitLine.permit_id.in_(permit_ids))):
        out.setdefault(line.permit_id, []).append(line)
    return out
