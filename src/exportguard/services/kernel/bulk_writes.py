"""Writing many rows in one go: COPY on PostgreSQL, executemany on SQLite; audit rows chained.

A bulk act over 100,000 permits writes 100,000 audit events: they are chained in memory after the
locked head (the same hash chain as every other event, domain/audit.py) and copied in one stream,
inside the act's transaction, so the chain and the act commit or roll back together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, insert, update
from sqlalchemy.orm import Session

from exportguard.adapters.clock import Clock
from exportguard.db.models import AuditChainHead, AuditEvent
from exportguard.domain.access import Actor
from exportguard.domain.audit import AuditEntry, chain
from exportguard.services.kernel.unit_of_work import HEAD_ID, locked_head

AUDIT_COLUMNS = (
    "seq", "recorded_at", "principal", "role", "command", "subject_type", "subject_id", "subject_ref",
    "legal_basis", "reason", "effective_date", "before", "after", "prev_hash", "hash",
)  # fmt: skip


def write_rows(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``; returns how many. JSON columns
    are given as their text (ChainedEvent.before_json): COPY adapts each value by its type."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        raw: Any = conn.connection.driver_connection
        count = 0
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor().copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch = [dict(zip(columns, row, strict=True)) for row in rows]
    if batch:
        session.execute(insert(table), batch)
    return len(batch)


def append_chained(session: Session, entries: list[AuditEntry], actor: Actor, clock: Clock) -> int:
    """Chain ``entries`` after the locked head and write them; returns the first new seq."""
    head = locked_head(session)
    events = chain(
        entries,
        principal=actor.principal,
        role=actor.role.value,
        recorded_at=clock.now(),
        last_seq=head.last_seq,
        last_hash=head.last_hash,
    )
    # before/after as chained: the stored form, and on PostgreSQL its canonical text for COPY.
    postgres = session.connection().dialect.name == "postgresql"
    rows = (
        (
            e.seq,
            e.recorded_at,
            e.principal,
            e.role,
            e.entry.command,
            e.entry.subject_type,
            e.entry.subject_id,
            e.entry.subject_ref,
            e.entry.legal_basis,
            e.entry.reason,
            e.entry.effective_date,
            (None if e.before is None else e.before_json) if postgres else e.before,
            (None if e.after is None else e.after_json) if postgres else e.after,
            e.prev_hash,
            e.hash,
        )
        for e in events
    )
    if postgres:
        write_rows(session, AuditEvent.__table__, AUDIT_COLUMNS, rows)  # type: ignore[arg-type]
    else:
        session.execute(insert(AuditEvent), [dict(zip(AUDIT_COLUMNS, r, strict=True)) for r in rows])
    last = events[-1]
    session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .values(last_seq=last.seq, last_hash=last.hash)
    )
    return events[0].seq
