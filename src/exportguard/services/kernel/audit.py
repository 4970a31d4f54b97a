"""Reading and verifying the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import AuditEvent
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import ChainBreak
from exportguard.domain.ledger import Checkpoint
from exportguard.services.kernel import audit_facts, ledger
from exportguard.services.kernel.audit_facts import FactMismatch
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
    facts: list[FactMismatch] = field(default_factory=list)  # validity, lines, history, usage, shipments
    unsealed: int = 0  # committed since the sequencer last ran: checked by their own hashes only
    checkpoint: Checkpoint | None = None  # the published checkpoint verified against

    @property
    def ok(self) -> bool:
        return self.chain_break is None and not self.mismatches and not self.facts


def verify(
    session: Session,
    actor: Actor,
    *,
    checkpoint: Checkpoint | None = None,
    public_key: bytes | None = None,
) -> VerificationReport:
    """Check the sealed log against ``checkpoint`` (the last one published, signed outside the
    database: services/kernel/ledger.py), every event against its hash, and every fact that
    changes what an exporter may ship against the events (services/kernel/audit_facts.py)."""
    require(actor, Action.READ_AUDIT)
    tree = ledger.check_tree(session, checkpoint, public_key)
    facts = audit_facts.permit_mismatches(session)
    states = [m for m in facts if m.fact == "state"]
    return VerificationReport(
        events_checked=tree.leaves + tree.unsealed,
        chain_break=tree.first_break,
        mismatches=[
            StateMismatch(
                m.permit_id, m.permit_ref, m.stored, None if m.audited == audit_facts.NO_EVENTS else m.audited
            )
            for m in states
        ],
        facts=[m for m in facts if m.fact != "state"] + audit_facts.usage_mismatches(session),
        unsealed=tree.unsealed,
        checkpoint=checkpoint,
    )
