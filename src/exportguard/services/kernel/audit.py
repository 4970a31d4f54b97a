"""Reading and verifying the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import AuditChainHead, AuditEvent, Permit
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import EVENT_FIELDS, GENESIS, ChainBreak, ChainVerifier, StoredEvent
from exportguard.services.kernel.audit_log import HEAD_ID
from exportguard.services.kernel.common import View


class AuditEventView(View):
    seq: int
    recorded_at: datetime
    principal: str
    role: str
    command: str
    subject_type: str
    subject_id: int
    subject_ref: str
    legal_basis: str
    reason: str
    effective_date: date
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    hash: str


def list_events(
    session: Session,
    actor: Actor,
    *,
    subject_type: str | None = None,
    subject_id: int | None = None,
    limit: int = 500,
    after_seq: int = 0,
    subject_ref: str | None = None,
    principal: str | None = None,
    command: str | None = None,
    recorded_from: date | None = None,
    recorded_to: date | None = None,
    before_seq: int | None = None,
    newest_first: bool = False,
) -> list[AuditEventView]:
    """Events matching every filter given; oldest first from ``after_seq``, or newest first
    below ``before_seq``. ``subject_ref`` matches the start of the reference (``EXP-2020-104512``
    finds every version); recorded dates are UTC days, both ends included."""
    require(actor, Action.READ_AUDIT)
    order = AuditEvent.seq.desc() if newest_first else AuditEvent.seq
    stmt = select(AuditEvent).where(AuditEvent.seq > after_seq).order_by(order).limit(limit)
    if before_seq is not None:
        stmt = stmt.where(AuditEvent.seq < before_seq)
    if subject_type is not None:
        stmt = stmt.where(AuditEvent.subject_type == subject_type)
    if subject_id is not None:
        stmt = stmt.where(AuditEvent.subject_id == subject_id)
    if subject_ref:
        stmt = stmt.where(AuditEvent.subject_ref.startswith(subject_ref, autoescape=True))
    if principal:
        stmt = stmt.where(AuditEvent.principal == principal)
    if command:
        stmt = stmt.where(AuditEvent.command == command)
    if recorded_from is not None:
        stmt = stmt.where(AuditEvent.recorded_at >= datetime.combine(recorded_from, time(), UTC))
    if recorded_to is not None:
        stmt = stmt.where(
            AuditEvent.recorded_at < datetime.combine(recorded_to, time(), UTC) + timedelta(days=1)
        )
    return [AuditEventView.model_validate(e) for e in session.scalars(stmt)]


def event_kinds(session: Session, actor: Actor) -> tuple[list[str], list[str]]:
    """The subject types and the commands the log holds, for choosing one of each."""
    require(actor, Action.READ_AUDIT)
    subjects = sorted(session.scalars(select(AuditEvent.subject_type).distinct()))
    return subjects, sorted(session.scalars(select(AuditEvent.command).distinct()))


@dataclass
class StateMismatch:
    permit_id: int
    permit_ref: str
    stored_state: str
    audited_state: str | None

    def __str__(self) -> str:
        return (
            f"permit {self.permit_ref} (id {self.permit_id}) is stored as {self.stored_state} but its "
            f"audit events imply {self.audited_state or 'nothing (no events)'}"
        )


@dataclass
class VerificationReport:
    events_checked: int
    chain_break: ChainBreak | None
    mismatches: list[StateMismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain_break is None and not self.mismatches


def verify(session: Session, actor: Actor, *, batch: int = 5000) -> VerificationReport:
    """Walk the chain in seq order (streamed) and compare each permit's state with its events."""
    require(actor, Action.READ_AUDIT)
    verifier = ChainVerifier()
    implied: dict[int, str | None] = {}
    last = 0
    while verifier.first_break is None:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            break
        for e in rows:
            if not verifier.feed(_stored(e)):
                break
            if e.subject_type == "permit" and e.after is not None and "state" in e.after:
                implied[e.subject_id] = str(e.after["state"])
        last = rows[-1].seq
    head = session.get(AuditChainHead, HEAD_ID)
    chain_break = verifier.finish(
        head_seq=head.last_seq if head else 0, head_hash=head.last_hash if head else GENESIS
    )
    mismatches = [
        StateMismatch(pid, f"{number}/v{version}", state, implied.get(pid))
        for pid, number, version, state in session.execute(
            select(Permit.id, Permit.number, Permit.version, Permit.state).order_by(Permit.id)
        )
        if implied.get(pid) != state
    ]
    return VerificationReport(verifier.count, chain_break, mismatches)


def _stored(e: AuditEvent) -> StoredEvent:
    return StoredEvent.from_row({"id": e.id, **{f: getattr(e, f) for f in EVENT_FIELDS}})
