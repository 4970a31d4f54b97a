"""What was shipped on a permit's lines: the one query the permit page, usage and bulk previews read.

Shipments (and reversals, with negative quantities) are recorded per permit line by the border
context; this sums them per line, optionally as of a date. What an amended permit's earlier
versions shipped on the same application line is added by the border's permit facts, which carry
it across versions (services/border/permit_facts.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from exportguard.db.models import Shipment, ShipmentLine


def shipped_lines(
    permit_ids: Iterable[int] | ColumnElement[Any] | Select[Any], as_of: date | None = None
) -> Select[int, int, Decimal]:
    """(permit line id, quantity shipped, value shipped) for the lines of ``permit_ids``."""
    stmt = (
        select(
            ShipmentLine.permit_line_id,
            func.sum(ShipmentLine.quantity).label("quantity"),
            func.sum(ShipmentLine.value).label("value"),
        )
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .where(Shipment.permit_id.in_(permit_ids))
        .group_by(ShipmentLine.permit_line_id)
    )
    if as_of is not None:
        stmt = stmt.where(Shipment.shipped_on <= as_of)
    return stmt


def shipped_by_line(
    session: Session, permit_ids: list[int], as_of: date | None = None
) -> dict[int, tuple[int, Decimal]]:
    """Per permit line id: quantity and value shipped (lines with nothing shipped are absent)."""
    # SUM keeps its argument's type (Money), so values come back as Decimal.
    return {i: (int(q), Decimal(v)) for i, q, v in session.execute(shipped_lines(permit_ids, as_of))}
