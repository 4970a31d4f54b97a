"""The unit of work: one transaction per use case, audit events chained in the same commit."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from exportguard.adapters.clock import Clock
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import AuditEntry
from exportguard.services.kernel import audit_log


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
            audit_log.append(self.session, self._entries, self.actor, self.clock)
            self._entries = []
        self.session.commit()
