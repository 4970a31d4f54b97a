"""An in-memory read model of permits for the border's checks, refreshed from the database.

The check at the border is asked far more often than permits change, so its answers come from a
snapshot of every permit's facts and line balances held in memory. Two things keep it fresh:
- changes committed through this process's sessions (suspensions, amendments, shipments) mark it
  stale at once (SQLAlchemy ``after_flush`` / ``after_commit`` on the system's session factory);
- changes made by other processes are noticed within ``max_age`` seconds: at most once per
  ``max_age`` a cheap watermark query (row counts and highest ids of the append-only tables) is
  compared with the snapshot's and, if it moved, the snapshot is reloaded.
Correctness never depends on it for drawdowns: recording a shipment reads and updates the balance
in the database under a row lock (services/border/drawdowns.py). A check answered from the snapshot is the
answer the database would have given at most ``max_age`` seconds earlier.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from exportguard.db.models import Permit, PermitLineUsage, PermitStateChange, Shipment
from exportguard.domain.access import Actor
from exportguard.domain.authorisation import Drawn, PermitFacts, choose_version
from exportguard.services.border.permit_facts import PERMITS_CHANGED, facts_of, mark_permits_changed
from exportguard.services.system import ExportGuard

WATCHED = (Permit, PermitStateChange, Shipment, PermitLineUsage)


@dataclass(frozen=True)
class Snapshot:
    by_number: dict[str, list[PermitFacts]] = field(default_factory=dict)
    by_id: dict[int, PermitFacts] = field(default_factory=dict)
    drawn: dict[int, Drawn] = field(default_factory=dict)  # by permit line id
    watermark: tuple[Any, ...] = ()


def watermark(session: Session) -> tuple[Any, ...]:
    """Moves whenever a permit, a state change or a shipment is added (all three are append-only)."""
    row = session.execute(
        select(
            select(func.count(Permit.id)).scalar_subquery(),
            select(func.max(Permit.id)).scalar_subquery(),
            select(func.count(PermitStateChange.id)).scalar_subquery(),
            select(func.max(PermitStateChange.id)).scalar_subquery(),
            select(func.count(Shipment.id)).scalar_subquery(),
            select(func.max(Shipment.id)).scalar_subquery(),
        )
    ).one()
    return tuple(row)


def load_snapshot(session: Session) -> Snapshot:
    mark = watermark(session)
    facts = facts_of(session, session.scalars(select(Permit).order_by(Permit.number, Permit.version)).all())
    by_number: dict[str, list[PermitFacts]] = {}
    for f in facts:
        by_number.setdefault(f.number, []).append(f)
    drawn = {
        line_id: Drawn(int(qty), value)
        for line_id, qty, value in session.execute(
            select(PermitLineUsage.permit_line_id, PermitLineUsage.quantity, PermitLineUsage.value)
        )
    }
    return Snapshot(by_number, {f.id: f for f in facts}, drawn, mark)


def find_permit(snap: Snapshot, actor: Actor, presented: str, day: date) -> PermitFacts | None:
    """The version of the presented permit (number or id) that answers for ``day``.

    Exporters see only their own organisation's permits: any other is "no permit" to them.
    """
    key = presented.strip()
    versions = (
        [snap.by_id[int(key)]] if key.isdigit() and int(key) in snap.by_id else snap.by_number.get(key, [])
    )
    versions = [v for v in versions if actor.sees(v.holder_id)]
    return choose_version(versions, day)


class PermitReadModel:
    """Permit facts and balances for checks; thread-safe, one per process and system."""

    def __init__(self, system: ExportGuard, *, max_age: float = 1.0) -> None:
        self._system = system
        self._max_age = max_age
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._checked_at = 0.0
        self._stale = True
        event.listen(system.session_factory, "after_flush", self._on_flush)
        event.listen(system.session_factory, "after_commit", self._on_commit)

    # Local invalidation: a session that flushed a watched row marks the model stale on commit.
    def _on_flush(self, session: Session, _context: Any) -> None:
        if any(isinstance(o, WATCHED) for o in (*session.new, *session.dirty, *session.deleted)):
            mark_permits_changed(session)

    def _on_commit(self, session: Session) -> None:
        if session.info.pop(PERMITS_CHANGED, False):
            self._stale = True

    def invalidate(self) -> None:
        self._stale = True

    def snapshot(self) -> Snapshot:
        now = time.monotonic()
        current = self._snapshot
        if current is not None and not self._stale and now - self._checked_at < self._max_age:
            return current
        if current is not None and not self._stale:
            # Only the periodic poll is due: one thread polls, the others keep answering meanwhile.
            if not self._lock.acquire(blocking=False):
                return current
        else:
            self._lock.acquire()  # a change of this process's: wait for it to be loaded
        try:
            return self._refresh()
        finally:
            self._lock.release()

    def _refresh(self) -> Snapshot:
        current = self._snapshot
        if current is not None and not self._stale and time.monotonic() - self._checked_at < self._max_age:
            return current
        with self._system.read() as session:
            if current is None or self._stale or watermark(session) != current.watermark:
                self._stale = False
                current = load_snapshot(session)
                self._snapshot = current
        self._checked_at = time.monotonic()
        return current

    def permit(self, actor: Actor, presented: str, day: date) -> PermitFacts | None:
        """The version of the presented permit (number or id) that answers for ``day``."""
        return find_permit(self.snapshot(), actor, presented, day)

    def drawn(self, permit: PermitFacts) -> dict[int, Drawn]:
        snap = self.snapshot()
        return {ln.line_no: snap.drawn[ln.line_id] for ln in permit.lines if ln.line_id in snap.drawn}
