"""Usage reports: per permit line, what was licensed, shipped and remains, as of any date.

Shipped is the sum of the shipment entries dated on or before the date (returns and corrections are
negative entries, dated when they took effect), so the report for 2020-09-30 is what it was then.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Party, Permit
from exportguard.domain import permits as permit_rules
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.errors import NotFound, Problem
from exportguard.services.border.permit_facts import facts_of
from exportguard.services.kernel.common import View, record_id
from exportguard.services.permits.shipped import shipped_by_line


class LineUsage(View):
    line_no: int
    item_code: str
    unit: str = "unit"
    currency: str
    licensed_quantity: int
    shipped_quantity: int
    remaining_quantity: int
    licensed_value: Decimal
    shipped_value: Decimal
    remaining_value: Decimal


class PermitUsage(View):
    permit_id: int
    number: str
    version: int
    holder_id: int
    holder: str
    destination: str
    as_of: date | None
    status: str | None
    exhausted: bool
    lines: list[LineUsage]


class HolderUsage(View):
    holder_id: int
    holder: str
    as_of: date | None
    permits: list[PermitUsage]


def usage_of(session: Session, permits: list[Permit], as_of: date | None, today: date) -> list[PermitUsage]:
    shipped = shipped_by_line(session, [p.id for p in permits], as_of)
    names = dict(
        session.execute(
            select(Party.id, Party.name).where(Party.id.in_({p.holder_id for p in permits}))
        ).all()
    )
    out = []
    for p, facts in zip(permits, facts_of(session, permits), strict=True):
        lines = []
        for ln in facts.lines:
            qty, value = shipped.get(ln.line_id, (0, Decimal("0.00")))
            # Earlier versions' shipments count against an amended permit (EIPA s.10(1)).
            qty, value = qty + ln.carried.quantity, value + ln.carried.value
            lines.append(
                LineUsage(
                    line_no=ln.line_no,
                    item_code=ln.item_code,
                    currency=ln.currency,
                    unit=next(pl.unit for pl in p.lines if pl.id == ln.line_id),
                    licensed_quantity=ln.quantity,
                    shipped_quantity=qty,
                    remaining_quantity=ln.quantity - qty,
                    licensed_value=ln.value,
                    shipped_value=value.quantize(Decimal("0.01")),
                    remaining_value=(ln.value - value).quantize(Decimal("0.01")),
                )
            )
        day = as_of or today
        out.append(
            PermitUsage(
                permit_id=p.id,
                number=p.number,
                version=p.version,
                holder_id=p.holder_id,
                holder=names.get(p.holder_id, ""),
                destination=p.destination_code,
                as_of=as_of,
                status=permit_rules.status_on(
                    facts.history, day, valid_from=p.valid_from, valid_to=p.valid_to
                ),
                # Derived, never stored: every line used up, in quantity or in value.
                exhausted=bool(lines)
                and all(u.remaining_quantity <= 0 or u.remaining_value <= 0 for u in lines),
                lines=lines,
            )
        )
    return out


def permit_usage(
    session: Session, actor: Actor, key: int | str, *, as_of: date | None, today: date
) -> PermitUsage:
    """One permit (by id, or by number: its latest version)."""
    require(actor, Action.READ_PERMITS)
    text = str(key).strip()
    stmt = select(Permit)
    if (found := record_id(text)) is not None:
        stmt = stmt.where(Permit.id == found)
    else:
        stmt = stmt.where(Permit.number == text).order_by(Permit.version.desc())
    permit = session.scalars(stmt).first()
    if permit is None or not actor.sees(permit.holder_id):
        raise NotFound(f"no permit {key}", [Problem("permit", f"no permit {key}")])
    return usage_of(session, [permit], as_of, today)[0]


def holder_usage(
    session: Session, actor: Actor, holder_id: int, *, as_of: date | None, today: date
) -> HolderUsage:
    """Every permit held by an exporter (exporters may ask only about themselves)."""
    require(actor, Action.READ_PERMITS)
    holder = session.get(Party, holder_id)
    if holder is None or not actor.sees(holder_id):
        raise NotFound(f"no holder {holder_id}", [Problem("holder_id", f"no holder {holder_id}")])
    permits = list(
        session.scalars(
            select(Permit).where(Permit.holder_id == holder_id).order_by(Permit.number, Permit.version)
        )
    )
    return HolderUsage(
        holder_id=holder_id, holder=holder.name, as_of=as_of, permits=usage_of(session, permits, as_of, today)
    )
