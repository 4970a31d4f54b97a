"""The unit of work: one transaction per use case, audit events chained in the same commit."""

from __future__ import annotations

from types import TracebackType
from typing import NamedTuple, Self, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from exportguard.adapters.clock import Clock
from exportguard.db.models import AuditChainHead, AuditEvent
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import GENESIS, AuditEntry, chain

HEAD_ID = 1
AUDIT_EVENTS = cast(Table, AuditEvent.__table__)
CHAIN_HEAD = cast(Table, AuditChainHead.__table__)


class UnitOfWork:
    """Opens a session; ``commit`` appends the recorded audit entries and commits once.

    Leaving the ``with`` block without committing rolls everything back, so an error anywhere
    leaves nothing half-written.
    """

    session: Session

    def __init__(self, session_factory: sessionmaker[Session], actor: Actor, clock: Clock) -> None:
        self._factory = session_factory
        self.actor = actor
        self.clock = clock
        self._entries: list[AuditEntry] = []

    def __enter__(self) -> Self:
        self.session = self._factory()
        self._entries = []
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.session.rollback()
        self.session.close()

    def require(self, action: Action) -> None:
        require(self.actor, action)

    def record(self, entry: AuditEntry) -> None:
        self._entries.append(entry)

    def commit(self) -> None:
        if self._entries:
            self.session.flush()
            append_events(self.session, self._entries, self.actor, self.clock)
            self._entries = []
        self.session.commit()


# Built once (every audited act runs them while the others queue on the head).
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
    """The chain's head, its row locked until commit (created with the chain's first event).

    Core statements on the table: the head is read by every audited act while others queue on it.
    """
    row = session.execute(_READ_HEAD).one_or_none()
    if row is None:
        session.execute(insert(CHAIN_HEAD).values(id=HEAD_ID, last_seq=0, last_hash=GENESIS))
        return Head(0, GENESIS)
    return Head(row.last_seq, row.last_hash)


def append_events(session: Session, entries: list[AuditEntry], actor: Actor, clock: Clock) -> None:
    """Chain entries after the head, locking the head row so concurrent writers queue, not fork."""
    head = locked_head(session)
    events = chain(
        entries,
        principal=actor.principal,
        role=actor.role.value,
        recorded_at=clock.now(),
        last_seq=head.last_seq,
        last_hash=head.last_hash,
    )
    # Core statements on the tables: the ORM's bulk paths add work while the head is locked.
    session.execute(
        _INSERT_EVENTS,
        [
            {
                "seq": e.seq,
                "recorded_at": e.recorded_at,
                "principal": e.principal,
                "role": e.role,
                "command": e.entry.command,
                "subject_type": e.entry.subject_type,
                "subject_id": e.entry.subject_id,
                "subject_ref": e.entry.subject_ref,
                "legal_basis": e.entry.legal_basis,
                "reason": e.entry.reason,
                "effective_date": e.entry.effective_date,
                "before": e.before,
                "after": e.after,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in events
        ],
    )
    last = events[-1]
    session.execute(_MOVE_HEAD, {"seq": last.seq, "hash_": last.hash})
