"""The running system's services: engine, sessions and clock, made by one factory."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from exportguard.adapters.clock import Clock, SystemClock
from exportguard.db import storage_guard
from exportguard.db.migrate import upgrade
from exportguard.db.session import make_engine, make_session_factory
from exportguard.domain.access import Actor
from exportguard.domain.screening.diff import DEFAULT_MAX_SHRINK
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.reference.control_list import sync_reference_data
from exportguard.settings import Settings


@dataclass
class ExportGuard:
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock = field(default_factory=SystemClock)
    list_max_shrink: float = DEFAULT_MAX_SHRINK  # see domain/screening/diff.py

    def __post_init__(self) -> None:
        # Issue 11: a value its column cannot hold is refused naming the field, on both databases.
        storage_guard.install(self.session_factory)

    @classmethod
    def from_url(cls, url: str, clock: Clock | None = None, *, migrate: bool = True) -> ExportGuard:
        engine = make_engine(url)
        system = cls(engine, make_session_factory(engine), clock or SystemClock())
        if migrate:
            upgrade(engine)
            # Countries and the Export Control List are part of the schema's contents: a new
            # database is usable at once, and a newer release's list is applied on start.
            with system.read() as session:
                sync_reference_data(session)
        return system

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ExportGuard:
        settings = settings or Settings.from_env()
        system = cls.from_url(settings.database_url)
        system.list_max_shrink = settings.list_max_shrink
        return system

    def uow(self, actor: Actor) -> UnitOfWork:
        return UnitOfWork(self.session_factory, actor, self.clock)

    def read(self) -> Session:
        """A session for queries (closed by the caller's ``with``)."""
        return self.session_factory()
