"""What an exporter may ship, recomputed from the audit events and compared with the records.

A direct edit of a permit's state, validity or licensed lines, of its history of state changes,
of a line's drawn balance, or the deletion of a shipment, leaves the records disagreeing with the
events that should have produced them; verification names each disagreement. The events are
trusted because the tree over them is checked against a checkpoint signed outside the database.

Derived, per permit, from its events in order: the state, validity and licensed lines (an issue
event carries the lines; an amended version issued in bulk carries its predecessor's), the
sequence of (state, effective date) its state changes must hold; per permit line, the quantity
and value drawn (the sum of its shipments' and reversals' lines); and every shipment recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import AuditEvent, Permit, PermitLine, PermitLineUsage, PermitStateChange, Shipment

BATCH = 20_000


@dataclass
class Implied:
    """One permit as its events make it."""

    ref: str = ""
    state: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    lines: dict[int, tuple[int, str]] | None = None  # line number -> (quantity, unit value)
    supersedes: str | None = None
    changes: list[tuple[str, str]] = field(default_factory=list)  # (state, effective date)


@dataclass(frozen=True)
class FactMismatch:
    subject: str
    fact: str
    stored: str
    audited: str
    permit_id: int = 0
    permit_ref: str = ""

    def __str__(self) -> str:
        return (
            f"{self.subject}: {self.fact} is stored as {self.stored}; its audit events imply {self.audited}"
        )


def _apply(found: Implied, event: AuditEvent) -> None:
    after: dict[str, Any] = event.after or {}
    before: dict[str, Any] = event.before or {}
    found.ref = event.subject_ref
    if "state" in after:
        found.state = str(after["state"])
        found.changes.append((found.state, event.effective_date.isoformat()))
    for key in ("valid_from", "valid_to"):
        if key in after:
            setattr(found, key, str(after[key]))
    if isinstance(after.get("lines"), list):
        found.lines = {
            int(ln["line_no"]): (
                int(ln["quantity"]),
                str(Decimal(str(ln["unit_value"])).quantize(Decimal("0.01"))),
            )
            for ln in after["lines"]
        }
    if "supersedes" in before:
        found.supersedes = str(before["supersedes"])


def _events(session: Session, subject_type: str) -> Iterator[AuditEvent]:
    yield from session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == subject_type)
        .order_by(AuditEvent.seq)
        .execution_options(yield_per=BATCH)
    )


def permit_mismatches(session: Session) -> list[FactMismatch]:
    implied: dict[int, Implied] = defaultdict(Implied)
    for event in _events(session, "permit"):
        _apply(implied[event.subject_id], event)
    by_ref = {f.ref: f for f in implied.values()}
    out: list[FactMismatch] = []
    changes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pid, state, day in session.execute(
        select(
            PermitStateChange.permit_id, PermitStateChange.state, PermitStateChange.effective_date
        ).order_by(PermitStateChange.permit_id, PermitStateChange.id)
    ):
        changes[pid].append((state, day.isoformat()))
    lines: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
    for pid, no, qty, value in session.execute(
        select(PermitLine.permit_id, PermitLine.line_no, PermitLine.quantity, PermitLine.unit_value)
    ):
        lines[pid][no] = (qty, str(value))
    for p in session.scalars(select(Permit).order_by(Permit.id).execution_options(yield_per=BATCH)):
        ref = f"permit {p.number}/v{p.version} (id {p.id})"
        f = implied.get(p.id, Implied())
        licensed = _licensed(f, by_ref)
        stored_checks = [
            ("state", p.state, f.state),
            ("valid from", p.valid_from.isoformat(), f.valid_from),
            ("valid to", p.valid_to.isoformat(), f.valid_to),
            ("licensed lines (quantity, unit value)", _show(lines.get(p.id, {})), licensed),
            ("state changes (state, effective date)", _show(changes.get(p.id, [])), f.changes),
        ]
        out += [
            FactMismatch(ref, fact, stored, _show(audited), p.id, f"{p.number}/v{p.version}")
            for fact, stored, audited in stored_checks
            if stored != _show(audited)
        ]
    return out


def _licensed(found: Implied, by_ref: dict[str, Implied]) -> dict[int, tuple[int, str]] | None:
    """The lines an event gave this version, or (amended in bulk: same lines) its predecessor's."""
    for _ in range(1000):
        if found.lines is not None or found.supersedes not in by_ref:
            break
        found = by_ref[str(found.supersedes)]
    return found.lines


NO_EVENTS = "nothing (no events)"


def _show(value: object) -> str:
    if value is None:
        return NO_EVENTS
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in sorted(value.items())) or "none"
    if isinstance(value, list):
        return "; ".join(f"{a} {b}" for a, b in value) or "none"
    return str(value)


def usage_mismatches(session: Session) -> list[FactMismatch]:
    """Each line's drawn balance against the sum of its shipments' events; each shipment against
    its event (one deleted leaves its event without a record)."""
    drawn: dict[tuple[int, int], tuple[int, Decimal]] = defaultdict(lambda: (0, Decimal("0.00")))
    recorded: dict[int, str] = {}
    for event in _events(session, "shipment"):
        after: dict[str, Any] = event.after or {}
        recorded[event.subject_id] = event.subject_ref
        for ln in after.get("lines", []):
            key = (int(after["permit_id"]), int(ln["permit_line_no"]))
            qty, value = drawn[key]
            drawn[key] = (qty + int(ln["quantity"]), value + Decimal(str(ln["value"])))
    out: list[FactMismatch] = []
    existing = set(session.scalars(select(Shipment.id)))
    out += [
        FactMismatch(f"shipment {ref} (id {sid})", "record", "deleted", "recorded")
        for sid, ref in sorted(recorded.items())
        if sid not in existing
    ]
    out += [
        FactMismatch(f"shipment id {sid}", "record", "present", "nothing (no event)")
        for sid in sorted(existing - recorded.keys())
    ]
    balances = session.execute(
        select(
            PermitLine.permit_id, PermitLine.line_no, PermitLineUsage.quantity, PermitLineUsage.value
        ).join(PermitLineUsage, PermitLineUsage.permit_line_id == PermitLine.id)
    ).all()
    for pid, no, qty, value in balances:
        want_qty, want_value = drawn.get((pid, no), (0, Decimal("0.00")))
        if (int(qty), Decimal(value)) != (want_qty, want_value):
            out.append(
                FactMismatch(
                    f"permit id {pid} line {no}",
                    "drawn (quantity, value)",
                    f"{qty}, {value}",
                    f"{want_qty}, {want_value}",
                )
            )
    return out
