"""Denied-party screening commands: import a list, screen parties, record a disposition.

Each command commits once through the unit of work with its audit event. ``screen_parties`` does
not commit, so that application submission and permit issue can screen every party inside their
own transaction (their commit carries the hits and the audit entry).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.adapters.sanctions_lists.snapshot import ParsedList
from exportguard.db.models import ListSnapshot, Party, ScreeningAlert, ScreeningHit
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import Conflict, Problem
from exportguard.domain.screening.diff import (
    DEFAULT_MAX_SHRINK,
    diff_entries,
    shrink_needing_confirmation,
)
from exportguard.domain.screening.entries import ListEntry
from exportguard.domain.screening.index import PartyIndex
from exportguard.domain.screening.matcher import (
    ALGORITHM,
    ALGORITHM_VERSION,
    DEFAULT_THRESHOLD,
    Hit,
)
from exportguard.services.kernel.common import NonEmpty, View, get_or_404
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.parties.diversion_flags import FlagView, flags_on_parties
from exportguard.services.screening.store import (
    current_lists,
    fingerprint,
    parties_in_pending_work,
    party_query,
    snapshot_entries,
    store_entries,
)

# The regulation's basis for refusing a permit to a listed party (SEMA regulations prohibit
# dealings with listed persons; the permit officer must check every party).
LEGAL_BASIS = "EIPA s.7(1); SEMA regulations"
Context = Literal["manual", "submission", "issue", "list_import"]


class HitView(View):
    id: int
    party_id: int
    source: str
    entry_id: str
    listed_name: str
    score: float
    explanation: str
    status: str
    context: str
    algorithm: str
    algorithm_version: str
    threshold: float
    found_at: datetime
    # Flags on the screened party and its country, with their source: a finding that an end-use
    # assurance was breached (services/parties/diversion_flags.py); shown to officials only.
    diversion_flags: list[FlagView] = []


class ImportView(View):
    snapshot_id: int
    source: str
    content_hash: str
    created: bool
    entries: int
    added: int
    changed: int
    removed: int
    new_hits: int
    alerts: int


class SnapshotView(View):
    id: int
    source: str
    content_hash: str
    published: str
    imported_at: datetime
    entry_count: int
    previous_id: int | None
    added: int
    changed: int
    removed: int


def _record_hit(
    session: Session, party_id: int, hit: Hit, *, snapshot_id: int, context: str, now: datetime
) -> ScreeningHit | None:
    """Store a hit unless this party already has one on this version of the entry: a reviewer's
    disposition holds until the entry changes, so the same hit is never raised twice."""
    print_ = fingerprint(hit.entry)
    existing = session.scalar(
        select(ScreeningHit).where(
            ScreeningHit.party_id == party_id,
            ScreeningHit.source == hit.entry.source,
            ScreeningHit.entry_id == hit.entry.entry_id,
            ScreeningHit.entry_fingerprint == print_,
        )
    )
    if existing is not None:
        return None
    row = ScreeningHit(
        party_id=party_id,
        source=hit.entry.source,
        entry_id=hit.entry.entry_id,
        entry_fingerprint=print_,
        snapshot_id=snapshot_id,
        listed_name=hit.matched_name[:300],
        score=hit.score,
        explanation=hit.explanation,
        algorithm=ALGORITHM,
        algorithm_version=ALGORITHM_VERSION,
        threshold=DEFAULT_THRESHOLD,
        context=context,
        found_at=now,
        status="open",
    )
    session.add(row)
    return row


def screen_parties(uow: UnitOfWork, party_ids: Iterable[int], context: Context) -> list[HitView]:
    """Screen parties against every loaded list; new hits become open review tasks.

    Does not commit: the caller's command (submit, issue, or :func:`screen_party`) does. Nor
    does it check a permission: screening is part of the calling command (an exporter's
    submission screens its parties too), which has already checked its own.
    Returns every hit at or above the threshold, new or already known.
    """
    session = uow.session
    loaded = current_lists(session)
    now = uow.clock.now()
    found: list[HitView] = []
    for party_id in party_ids:
        party = get_or_404(session, Party, party_id, "party", "party_id")
        hits = loaded.index.screen(party_query(party), limit=10)
        new = [
            _record_hit(
                session,
                party.id,
                h,
                snapshot_id=loaded.snapshot_of[h.entry.source],
                context=context,
                now=now,
            )
            for h in hits
        ]
        session.flush()
        for hit in hits:
            stored = session.scalar(
                select(ScreeningHit).where(
                    ScreeningHit.party_id == party.id,
                    ScreeningHit.source == hit.entry.source,
                    ScreeningHit.entry_id == hit.entry.entry_id,
                    ScreeningHit.entry_fingerprint == fingerprint(hit.entry),
                )
            )
            if stored is not None:
                found.append(HitView.model_validate(stored))
        uow.record(
            AuditEntry(
                command=AuditCommand.SCREEN_PARTY,
                subject_type="party",
                subject_id=party.id,
                subject_ref=party.name[:64],
                legal_basis=LEGAL_BASIS,
                reason=f"screened on {context}: {len(hits)} hit(s), {sum(1 for n in new if n)} new",
                effective_date=uow.clock.today(),
                before=None,
                after={"hits": [f"{h.entry.source}:{h.entry.entry_id} {h.score:.2f}" for h in hits]},
            )
        )
    return found


def screen_party(uow: UnitOfWork, party_id: int) -> list[HitView]:
    """The command an officer runs by hand: screen one party and commit."""
    uow.require(Action.SCREEN_PARTY)
    found = screen_parties(uow, [party_id], "manual")
    country = uow.session.get_one(Party, party_id).country_code
    flags = flags_on_parties(uow.session, uow.actor, {party_id: country})[party_id]
    uow.commit()
    return [h.model_copy(update={"diversion_flags": flags}) for h in found]


def record_disposition(
    uow: UnitOfWork,
    hit_id: int,
    disposition: Literal["false_positive", "true_match"],
    reason: NonEmpty,
) -> HitView:
    """A reviewer's finding on a hit; it holds until the list entry changes."""
    uow.require(Action.RECORD_SCREENING_DISPOSITION)
    hit = get_or_404(uow.session, ScreeningHit, hit_id, "screening hit", "hit_id")
    if hit.status != "open":
        raise Conflict(
            f"hit {hit_id} was already found {hit.status}",
            [Problem("hit_id", f"already disposed as {hit.status}")],
        )
    before = HitView.model_validate(hit).model_dump(mode="json")
    hit.status = disposition
    hit.disposition_reason = reason
    hit.disposed_by = uow.actor.principal
    hit.disposed_at = uow.clock.now()
    for alert in uow.session.scalars(select(ScreeningAlert).where(ScreeningAlert.hit_id == hit.id)):
        alert.status = "closed"
    uow.session.flush()
    view = HitView.model_validate(hit)
    uow.record(
        AuditEntry(
            command=AuditCommand.RECORD_SCREENING_DISPOSITION,
            subject_type="screening_hit",
            subject_id=hit.id,
            subject_ref=f"{hit.source}:{hit.entry_id}"[:64],
            legal_basis=LEGAL_BASIS,
            reason=reason,
            effective_date=uow.clock.today(),
            before=before,
            after=view.model_dump(mode="json"),
        )
    )
    uow.commit()
    return view


class ImportHeld(Conflict):
    """Issue 11: a snapshot that empties a list or shrinks it past the share allowed is not applied
    until someone confirms it, naming its content hash."""

    title = "List import held for confirmation"


def import_list(
    uow: UnitOfWork,
    parsed: ParsedList,
    *,
    confirm: str | None = None,
    max_shrink: float = DEFAULT_MAX_SHRINK,
) -> ImportView:
    """Store a list snapshot and re-screen pending work against what changed.

    The same file twice (same source and content hash) changes nothing. Only added and changed
    entries run against the parties of pending applications and permits in force (in reverse,
    through an index of those parties); each new hit raises an alert on what it concerns. An
    import that empties the list or removes more than ``max_shrink`` of it is held (ImportHeld,
    recorded in the audit log) unless ``confirm`` is its content hash.
    """
    uow.require(Action.IMPORT_LIST)
    session = uow.session
    existing = session.scalar(
        select(ListSnapshot).where(
            ListSnapshot.source == parsed.source, ListSnapshot.content_hash == parsed.content_hash
        )
    )
    if existing is not None:
        return ImportView(
            snapshot_id=existing.id,
            source=existing.source,
            content_hash=existing.content_hash,
            created=False,
            entries=existing.entry_count,
            added=0,
            changed=0,
            removed=0,
            new_hits=0,
            alerts=0,
        )
    previous = session.scalar(
        select(ListSnapshot)
        .where(ListSnapshot.source == parsed.source)
        .order_by(ListSnapshot.id.desc())
        .limit(1)
    )
    old = snapshot_entries(session, previous) if previous else []
    diff = diff_entries(old, parsed.entries)
    why = shrink_needing_confirmation(len(old), len(parsed.entries), len(diff.removed), max_shrink)
    if why is not None and confirm != parsed.content_hash:
        _hold(uow, parsed, why)
    snapshot = ListSnapshot(
        source=parsed.source,
        content_hash=parsed.content_hash,
        published=parsed.published[:40],
        imported_at=uow.clock.now(),
        entry_count=len(parsed.entries),
        previous_id=previous.id if previous else None,
        added=len(diff.added),
        changed=len(diff.changed),
        removed=len(diff.removed),
    )
    session.add(snapshot)
    session.flush()
    store_entries(session, snapshot.id, parsed.entries)
    new_hits, alerts = _rescreen(uow, snapshot.id, diff.to_rescreen)
    view = ImportView(
        snapshot_id=snapshot.id,
        source=snapshot.source,
        content_hash=snapshot.content_hash,
        created=True,
        entries=snapshot.entry_count,
        added=snapshot.added,
        changed=snapshot.changed,
        removed=snapshot.removed,
        new_hits=new_hits,
        alerts=alerts,
    )
    uow.record(
        AuditEntry(
            command=AuditCommand.IMPORT_SANCTIONS_LIST,
            subject_type="sanctions_list_snapshot",
            subject_id=snapshot.id,
            subject_ref=f"{snapshot.source} {snapshot.content_hash[:12]}",
            legal_basis=LEGAL_BASIS,
            reason=f"{diff.summary()}; {new_hits} new hit(s), {alerts} alert(s)",
            effective_date=uow.clock.today(),
            before=None,
            after=view.model_dump(mode="json"),
        )
    )
    uow.commit()
    return view


def _rescreen(uow: UnitOfWork, snapshot_id: int, entries: Sequence[ListEntry]) -> tuple[int, int]:
    session = uow.session
    exposure = parties_in_pending_work(session)
    if not entries or not exposure:
        return 0, 0
    parties = session.scalars(select(Party).where(Party.id.in_(exposure.keys())))
    index = PartyIndex(party_query(p) for p in parties)
    # Judged by the rarity of the name parts among every current list's names, the new snapshot
    # included: what screening the party forward uses, so both directions flag the same pairs.
    rarity = current_lists(session).index.rarity
    now = uow.clock.now()
    new_hits = alerts = 0
    for found in index.parties_hit_by(entries, rarity=rarity):
        party_id = int(found.party.reference)
        row = _record_hit(
            session, party_id, found.hit, snapshot_id=snapshot_id, context="list_import", now=now
        )
        if row is None:
            continue
        session.flush()
        new_hits += 1
        where = exposure[party_id]
        for application_id in where.applications:
            session.add(ScreeningAlert(hit_id=row.id, application_id=application_id, raised_at=now))
            alerts += 1
        for permit_id in where.permits:
            session.add(ScreeningAlert(hit_id=row.id, permit_id=permit_id, raised_at=now))
            alerts += 1
    return new_hits, alerts


def list_hits(session: Session, actor: Actor, status: str | None = "open") -> list[HitView]:
    """Review tasks: hits with the given status (default: still open), newest first."""
    # Hits are internal findings about named parties (PERMISSIONS[READ_SCREENING]).
    require(actor, Action.READ_SCREENING)
    stmt = select(ScreeningHit).order_by(ScreeningHit.id.desc())
    if status:
        stmt = stmt.where(ScreeningHit.status == status)
    return [HitView.model_validate(h) for h in session.scalars(stmt)]


def list_snapshots(session: Session, actor: Actor) -> list[SnapshotView]:
    require(actor, Action.READ_SCREENING)
    return [
        SnapshotView.model_validate(s)
        for s in session.scalars(select(ListSnapshot).order_by(ListSnapshot.id))
    ]


def snapshot_rows(session: Session, actor: Actor, ids: Iterable[int]) -> list[ListSnapshot]:
    require(actor, Action.READ_SCREENING)
    return list(session.scalars(select(ListSnapshot).where(ListSnapshot.id.in_(list(ids)))))


def _hold(uow: UnitOfWork, parsed: ParsedList, why: str) -> None:
    """Record the held import in the audit log (committed), then refuse it."""
    uow.record(
        AuditEntry(
            command=AuditCommand.HOLD_SANCTIONS_LIST_IMPORT,
            subject_type="sanctions_list",
            subject_id=0,
            subject_ref=f"{parsed.source} {parsed.content_hash[:12]}",
            legal_basis=LEGAL_BASIS,
            reason=f"held for confirmation: {why}",
            effective_date=uow.clock.today(),
            before=None,
            after={
                "source": parsed.source,
                "content_hash": parsed.content_hash,
                "entries": len(parsed.entries),
            },
        )
    )
    uow.commit()
    message = f"confirm with the content hash {parsed.content_hash} to apply it"
    raise ImportHeld(f"{parsed.source}: not imported, {why}; {message}", [Problem("confirm", message)])
