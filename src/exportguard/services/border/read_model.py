"""An in-memory read model of permits for the border's checks: filled on demand, kept fresh by a
change feed, never reloaded whole.

The check at the border is asked far more often than permits change, so its answers come from
permit facts and line balances held in memory, one entry per permit presented (number or id),
loaded the first time it is asked about and kept while it is asked about (least recently used
entries go past ``capacity``). A register of millions of permits therefore costs memory only for
the permits the border actually sees, and no query ever lists them all.

Freshness, without reloading:
- changes committed through this process's sessions (suspensions, amendments, shipments) make the
  next question read the change feed at once (SQLAlchemy ``after_flush`` / ``after_commit``);
- otherwise the feed is read at most once per ``max_age`` seconds: the rows added since the last
  read to the append-only tables that change a permit's answer (permits: new versions and numbers;
  state changes; shipments, which move the balances), each an index range scan on the primary key.
  Only the permits they name are dropped from memory, to be read again when next asked about.
- Ids are handed out before commit, so a slow transaction (a bulk act) can commit rows below ids
  already read: the ids skipped are kept as gaps and read again on every poll until they appear
  (or ``GAP_TTL`` seconds pass: a rolled-back transaction's ids never appear).
Correctness never depends on it for drawdowns: recording a shipment reads and updates the balance
in the database under a row lock (services/border/drawdowns.py). A check answered from memory is
the answer the database would have given at most ``max_age`` seconds earlier.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import Column, Table, and_, event, func, or_, select
from sqlalchemy.orm import Session

from exportguard.db.models import Permit, PermitLineUsage, PermitStateChange, Shipment
from exportguard.domain import id_feed
from exportguard.domain.access import Actor
from exportguard.domain.authorisation import Drawn, PermitFacts, choose_version
from exportguard.services.border.permit_facts import (
    PERMITS_CHANGED,
    chunks,
    drawn_by_line_id,
    facts_of,
    mark_permits_changed,
)
from exportguard.services.kernel.common import record_id
from exportguard.services.system import ExportGuard

WATCHED = (Permit, PermitStateChange, Shipment, PermitLineUsage)
GAP_TTL = 300.0  # seconds an unseen id is waited for (longer than any transaction of ours)
MOST_GAPS = 100  # more holes than this are merged into one range


@dataclass(frozen=True)
class Snapshot:
    """Permit facts and balances for a set of permits (a declaration file's, or all of them)."""

    by_number: dict[str, list[PermitFacts]] = field(default_factory=dict)
    by_id: dict[int, PermitFacts] = field(default_factory=dict)
    drawn: dict[int, Drawn] = field(default_factory=dict)  # by permit line id


def load_snapshot(session: Session, keys: Iterable[str] | None = None) -> Snapshot:
    """The permits presented as ``keys`` (numbers or ids; every version of a number), or every
    permit when None; read a chunk at a time (no parameter limit)."""
    if keys is None:
        permits = list(session.scalars(select(Permit).order_by(Permit.number, Permit.version)))
    else:
        wanted = sorted({k.strip() for k in keys if k.strip()})
        ids = [i for i in (record_id(k) for k in wanted) if i is not None]
        found: dict[int, Permit] = {}
        for part in chunks(wanted):
            found.update((p.id, p) for p in session.scalars(select(Permit).where(Permit.number.in_(part))))
        for id_part in chunks(ids):
            found.update((p.id, p) for p in session.scalars(select(Permit).where(Permit.id.in_(id_part))))
        permits = sorted(found.values(), key=lambda p: (p.number, p.version))
    facts = facts_of(session, permits)
    by_number: dict[str, list[PermitFacts]] = {}
    for f in facts:
        by_number.setdefault(f.number, []).append(f)
    drawn = drawn_by_line_id(session, [ln.line_id for f in facts for ln in f.lines])
    return Snapshot(by_number, {f.id: f for f in facts}, drawn)


def versions_in(snap: Snapshot, presented: str) -> list[PermitFacts]:
    key = presented.strip()
    found = record_id(key)
    if found is not None and found in snap.by_id:
        return [snap.by_id[found]]
    return snap.by_number.get(key, [])


def find_permit(snap: Snapshot, actor: Actor, presented: str, day: date) -> PermitFacts | None:
    """The version of the presented permit (number or id) that answers for ``day``.

    Exporters see only their own organisation's permits: any other is "no permit" to them.
    """
    versions = [v for v in versions_in(snap, presented) if actor.sees(v.holder_id)]
    return choose_version(versions, day)


@dataclass
class Feed:
    """The rows added to one append-only table since it was last read: (id, what it concerns)."""

    id: Column[Any]
    about: Column[Any]
    mark: int = 0
    gaps: list[id_feed.Gap] = field(default_factory=list)

    def start(self, session: Session) -> None:
        self.mark = int(session.scalar(select(func.max(self.id))) or 0)

    def read(self, session: Session, now: float) -> list[Any]:
        wanted = [self.id > self.mark, *(and_(self.id > lo, self.id < hi) for lo, hi, _ in self.gaps)]
        rows = session.execute(select(self.id, self.about).where(or_(*wanted)).order_by(self.id)).all()
        seen = [int(r[0]) for r in rows]
        self.mark, self.gaps = id_feed.advance(self.mark, self.gaps, seen, now, ttl=GAP_TTL, most=MOST_GAPS)
        return [r[1] for r in rows]


def _column(model: type, name: str) -> Column[Any]:
    return cast(Table, model.__table__).c[name]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Entry:
    versions: tuple[PermitFacts, ...]
    drawn: dict[int, dict[int, Drawn]]  # by permit id, then line number


class PermitReadModel:
    """Permit facts and balances for checks; thread-safe, one per process and system."""

    def __init__(self, system: ExportGuard, *, max_age: float = 1.0, capacity: int = 200_000) -> None:
        self._system = system
        self._max_age = max_age
        self._capacity = capacity
        self._lock = threading.Lock()  # guards the entries
        self._polling = threading.Lock()  # one thread reads the feed; the others answer meanwhile
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._keys_of: dict[int, set[str]] = {}  # permit id -> entries holding it
        self._generation = 0  # moves on every drop: a load that overlapped one is not kept
        self._permits = Feed(_column(Permit, "id"), _column(Permit, "number"))
        self._changes = Feed(_column(PermitStateChange, "id"), _column(PermitStateChange, "permit_id"))
        self._shipments = Feed(_column(Shipment, "id"), _column(Shipment, "permit_id"))
        self._started = False
        self._checked_at = -GAP_TTL  # never: the first question starts the feed
        self._stale = False
        event.listen(system.session_factory, "after_flush", self._on_flush)
        event.listen(system.session_factory, "after_commit", self._on_commit)

    # Local changes: a session that flushed a watched row makes the next question read the feed.
    def _on_flush(self, session: Session, _context: Any) -> None:
        if any(isinstance(o, WATCHED) for o in (*session.new, *session.dirty, *session.deleted)):
            mark_permits_changed(session)

    def _on_commit(self, session: Session) -> None:
        if session.info.pop(PERMITS_CHANGED, False):
            self._stale = True

    def invalidate(self) -> None:
        """Forget everything (it is read again on demand)."""
        with self._lock:
            self._entries.clear()
            self._keys_of.clear()
            self._generation += 1

    def _catch_up(self) -> None:
        if self._started and not self._stale and time.monotonic() - self._checked_at < self._max_age:
            return
        # A change of this process's: wait for the feed to be read; the periodic poll: one thread.
        if not self._polling.acquire(blocking=self._stale or not self._started):
            return
        try:
            if self._started and not self._stale and time.monotonic() - self._checked_at < self._max_age:
                return
            self._stale = False
            with self._system.read() as session:
                if not self._started:
                    for feed in (self._permits, self._changes, self._shipments):
                        feed.start(session)
                    self._started = True
                else:
                    now = time.monotonic()
                    numbers = self._permits.read(session, now)
                    permit_ids = self._changes.read(session, now) + self._shipments.read(session, now)
                    self._drop(numbers, permit_ids)
            self._checked_at = time.monotonic()
        finally:
            self._polling.release()

    def _drop(self, keys: Iterable[str], permit_ids: Iterable[int]) -> None:
        with self._lock:
            doomed = set(keys)
            for pid in permit_ids:
                doomed |= self._keys_of.get(pid, set()) | {str(pid)}
            for key in doomed:
                entry = self._entries.pop(key, None)
                if entry is None:
                    continue
                for v in entry.versions:
                    self._keys_of.get(v.id, set()).discard(key)
            self._generation += 1

    def _entry(self, presented: str) -> Entry:
        key = presented.strip()
        self._catch_up()
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
            generation = self._generation
        with self._system.read() as session:
            snap = load_snapshot(session, [key])
        versions = tuple(versions_in(snap, key))
        entry = Entry(
            versions,
            {
                v.id: {ln.line_no: snap.drawn[ln.line_id] for ln in v.lines if ln.line_id in snap.drawn}
                for v in versions
            },
        )
        with self._lock:
            if generation == self._generation:
                self._entries[key] = entry
                for v in versions:
                    self._keys_of.setdefault(v.id, set()).add(key)
                while len(self._entries) > self._capacity:
                    evicted, old = self._entries.popitem(last=False)
                    for v in old.versions:
                        self._keys_of.get(v.id, set()).discard(evicted)
        return entry

    def permit(self, actor: Actor, presented: str, day: date) -> PermitFacts | None:
        """The version of the presented permit (number or id) that answers for ``day``."""
        versions = [v for v in self._entry(presented).versions if actor.sees(v.holder_id)]
        return choose_version(versions, day)

    def drawn(self, permit: PermitFacts) -> dict[int, Drawn]:
        """What has been drawn on each line of ``permit`` (as read with it), by line number."""
        entry = self._entries.get(permit.number) or self._entries.get(str(permit.id))
        if entry is None or permit.id not in entry.drawn:  # dropped since it was read: read again
            entry = self._entry(str(permit.id))
        return entry.drawn.get(permit.id, {})

    @property
    def size(self) -> int:
        return len(self._entries)
