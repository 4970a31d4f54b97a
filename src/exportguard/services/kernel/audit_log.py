"""Appending to the audit log: the one path every writer takes, single commands and bulk acts alike.

Writers do not wait on one another: an event needs only its sequence numbers (a block of
consecutive ones, from a PostgreSQL sequence under an advisory lock held for two statements, not
until commit) and its own hash. The events are written in the writer's transaction: they commit or
roll back with the change they record (a rolled-back block leaves a gap in the numbers, which
verification ignores). The sequencer (services/kernel/ledger.py) later seals committed events
into the Merkle tree and signs a checkpoint, as a Certificate Transparency log merges submissions
within its maximum merge delay. A few events go by one prepared INSERT; many (a bulk act over
thousands of permits) by COPY on PostgreSQL.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from exportguard.adapters.clock import Clock
from exportguard.db.models import AuditEvent
from exportguard.domain.access import Actor
from exportguard.domain.audit import EVENT_FIELDS, AuditEntry, chain
from exportguard.services.kernel.bulk_writes import write_rows

AUDIT_EVENTS = cast(Table, AuditEvent.__table__)
SEQUENCE = "audit_event_seq"
# Held by an allocation for two statements only: blocks of numbers never interleave.
_ALLOCATION_LOCK = 0x6175_6469_7473_6571
# From this many events on, PostgreSQL gets them by COPY (one stream) rather than an INSERT.
COPY_FROM = 100
_INSERT_EVENTS = insert(AUDIT_EVENTS)
_NEXT = text(f"SELECT nextval('{SEQUENCE}')")
_SKIP = text(f"SELECT setval('{SEQUENCE}', :last)")
_LOCK = text("SELECT pg_advisory_lock(:k)")
_UNLOCK = text("SELECT pg_advisory_unlock(:k)")
_MAX_SEQ = select(func.max(AUDIT_EVENTS.c.seq))


def allocate(session: Session, count: int) -> int:
    """The first of ``count`` consecutive new sequence numbers."""
    if session.connection().dialect.name != "postgresql":
        return int(session.scalar(_MAX_SEQ) or 0) + 1  # SQLite: writers are one at a time already
    session.execute(_LOCK, {"k": _ALLOCATION_LOCK})
    try:
        first = int(session.scalar(_NEXT) or 0)
        if count > 1:
            session.execute(_SKIP, {"last": first + count - 1})
    finally:
        session.execute(_UNLOCK, {"k": _ALLOCATION_LOCK})
    return first


def append(session: Session, entries: list[AuditEntry], actor: Actor, clock: Clock) -> int:
    """Number and hash ``entries`` and write them; returns the first new sequence number (the
    others follow it without a gap)."""
    events = chain(
        entries,
        principal=actor.principal,
        role=actor.role.value,
        recorded_at=clock.now(),
        first_seq=allocate(session, len(entries)),
    )
    if len(events) >= COPY_FROM and session.connection().dialect.name == "postgresql":
        write_rows(session, AUDIT_EVENTS, EVENT_FIELDS, (e.row(json_text=True) for e in events))
    else:
        session.execute(_INSERT_EVENTS, [dict(zip(EVENT_FIELDS, e.row(), strict=True)) for e in events])
    return events[0].seq
