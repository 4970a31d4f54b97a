"""Appending to the audit log: the one path every writer takes, single commands and bulk acts alike.

Entries are chained after the chain's head (domain/audit.py), whose row is locked until commit so
concurrent writers queue rather than fork the chain. The events are written in the writer's
transaction: they commit or roll back with the change they record. A few events (a command) go by
one prepared INSERT; many (a bulk act over thousands of permits) by COPY on PostgreSQL.
"""

from __future__ import annotations

from typing import NamedTuple, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from exportguard.adapters.clock import Clock
from exportguard.db.models import AuditChainHead, AuditEvent
from exportguard.domain.access import Actor
from exportguard.domain.audit import EVENT_FIELDS, GENESIS, AuditEntry, chain
from exportguard.services.kernel.bulk_writes import write_rows

HEAD_ID = 1
AUDIT_EVENTS = cast(Table, AuditEvent.__table__)
CHAIN_HEAD = cast(Table, AuditChainHead.__table__)
# From this many events on, PostgreSQL gets them by COPY (one stream) rather than an INSERT.
COPY_FROM = 100

# Built once: every audited act runs them while the others queue on the head.
_READ_HEAD = (
    select(CHAIN_HEAD.c.last_seq, CHAIN_HEAD.c.last_hash).where(CHAIN_HEAD.c.id == HEAD_ID).with_for_update()
)
_MOVE_HEAD = (
    update(CHAIN_HEAD)
    .where(CHAIN_HEAD.c.id == HEAD_ID)
    .values(last_seq=bindparam("seq"), last_hash=bindparam("hash_"))
)
_INSERT_EVENTS = insert(AUDIT_EVENTS)


class Head(NamedTuple):
    last_seq: int
    last_hash: str


def locked_head(session: Session) -> Head:
    """The chain's head, its row locked until commit (created with the chain's first event)."""
    row = session.execute(_READ_HEAD).one_or_none()
    if row is None:
        session.execute(insert(CHAIN_HEAD).values(id=HEAD_ID, last_seq=0, last_hash=GENESIS))
        return Head(0, GENESIS)
    return Head(row.last_seq, row.last_hash)


def append(session: Session, entries: list[AuditEntry], actor: Actor, clock: Clock) -> int:
    """Chain ``entries`` after the locked head, write them and move the head; the first new seq."""
    head = locked_head(session)
    events = chain(
        entries,
        principal=actor.principal,
        role=actor.role.value,
        recorded_at=clock.now(),
        last_seq=head.last_seq,
        last_hash=head.last_hash,
    )
    if len(events) >= COPY_FROM and session.connection().dialect.name == "postgresql":
        write_rows(session, AUDIT_EVENTS, EVENT_FIELDS, (e.row(json_text=True) for e in events))
    else:
        session.execute(_INSERT_EVENTS, [dict(zip(EVENT_FIELDS, e.row(), strict=True)) for e in events])
    last = events[-1]
    session.execute(_MOVE_HEAD, {"seq": last.seq, "hash_": last.hash})
    return events[0].seq
