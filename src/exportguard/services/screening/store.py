"""Reading and writing list snapshots, and the parties that re-screening must cover."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from exportguard.db.models import (
    Application,
    ApplicationParty,
    ListEntryRecord,
    ListSnapshot,
    Party,
    Permit,
)
from exportguard.domain.applications import ApplicationState
from exportguard.domain.permits import PermitState
from exportguard.domain.screening.entries import ListEntry, PartialDate, PartyQuery, Schema
from exportguard.domain.screening.index import ScreeningIndex

# Applications not yet decided or decided but not yet all issued, and permits still in force:
# the parties a list change must be checked against (issue 5, "In the workflow").
PENDING_APPLICATIONS = (
    ApplicationState.SUBMITTED.value,
    ApplicationState.UNDER_REVIEW.value,
    ApplicationState.APPROVED.value,
)
PERMITS_IN_FORCE = (PermitState.ACTIVE.value, PermitState.SUSPENDED.value)


def fingerprint(entry: ListEntry) -> str:
    """A hash of what the entry says; a disposition holds until this changes."""
    content = {
        "schema": entry.schema.value,
        "names": sorted(entry.names),
        "countries": sorted(entry.countries),
        "birth_dates": sorted(str(d) for d in entry.birth_dates),
        "programs": sorted(entry.programs),
        "remarks": entry.remarks,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def to_entry(source: str, record: ListEntryRecord) -> ListEntry:
    return ListEntry(
        source=source,
        entry_id=record.entry_id,
        schema=Schema(record.schema),
        names=tuple(record.names),
        countries=frozenset(record.countries),
        birth_dates=tuple(d for d in (PartialDate.parse(t) for t in record.birth_dates) if d),
        programs=tuple(record.programs),
        remarks=record.remarks,
    )


def store_entries(session: Session, snapshot_id: int, entries: Sequence[ListEntry]) -> None:
    if not entries:
        return
    session.execute(
        insert(ListEntryRecord),
        [
            {
                "snapshot_id": snapshot_id,
                "entry_id": e.entry_id,
                "fingerprint": fingerprint(e),
                "schema": e.schema.value,
                "names": list(e.names),
                "countries": sorted(e.countries),
                "birth_dates": [str(d) for d in e.birth_dates],
                "programs": list(e.programs),
                "remarks": e.remarks,
            }
            for e in entries
        ],
    )


def snapshot_entries(session: Session, snapshot: ListSnapshot) -> list[ListEntry]:
    records = session.scalars(select(ListEntryRecord).where(ListEntryRecord.snapshot_id == snapshot.id))
    return [to_entry(snapshot.source, r) for r in records]


def latest_snapshots(session: Session) -> list[ListSnapshot]:
    """The newest snapshot of each list: what parties are screened against."""
    newest = select(func.max(ListSnapshot.id)).group_by(ListSnapshot.source)
    return list(
        session.scalars(select(ListSnapshot).where(ListSnapshot.id.in_(newest)).order_by(ListSnapshot.source))
    )


@dataclass
class LoadedLists:
    """The current entries of every list, indexed, with where each came from."""

    snapshot_ids: tuple[int, ...]
    index: ScreeningIndex
    snapshot_of: dict[str, int] = field(default_factory=dict)


_INDEXES: dict[tuple[tuple[str, str], ...], ScreeningIndex] = {}


def current_lists(session: Session) -> LoadedLists:
    """The index over the newest snapshots, built once per set of snapshots and then reused
    (building it takes seconds for the four big lists; screening one party, a millisecond)."""
    snapshots = latest_snapshots(session)
    # Keyed by content, not row ids: two databases (tests, replicas) may number them alike.
    key = tuple((s.source, s.content_hash) for s in snapshots)
    index = _INDEXES.get(key)
    if index is None:
        index = ScreeningIndex(e for s in snapshots for e in snapshot_entries(session, s))
        _INDEXES.clear()
        _INDEXES[key] = index
    return LoadedLists(tuple(s.id for s in snapshots), index, {s.source: s.id for s in snapshots})


def party_query(party: Party) -> PartyQuery:
    schema = Schema.PERSON if party.kind == "person" else Schema.ORGANISATION
    return PartyQuery(party.name, schema, frozenset({party.country_code}), reference=str(party.id))


@dataclass(frozen=True)
class Exposure:
    """Where a party appears in pending work: the applications and permits an alert concerns."""

    applications: tuple[int, ...]
    permits: tuple[int, ...]


def parties_in_pending_work(session: Session) -> dict[int, Exposure]:
    """Parties of pending applications and of permits in force, with where each appears.

    An approved application stops being pending work once every permit issued from it has left
    force (cancelled, expired, superseded): a permit issued from it later is screened at issue.
    """
    rows = session.execute(
        select(ApplicationParty.party_id, Application.id, Application.state).join(
            Application, Application.id == ApplicationParty.application_id
        )
    ).all()
    in_force: list[tuple[int, int, int]] = []
    issued_from: dict[int, bool] = {}  # application id -> has a permit in force
    for permit_id, application_id, holder_id, state in session.execute(
        select(Permit.id, Permit.application_id, Permit.holder_id, Permit.state)
    ):
        live = state in PERMITS_IN_FORCE
        issued_from[application_id] = issued_from.get(application_id, False) or live
        if live:
            in_force.append((permit_id, application_id, holder_id))
    applications: dict[int, set[int]] = {}
    by_application: dict[int, set[int]] = {}
    for party_id, application_id, state in rows:
        by_application.setdefault(application_id, set()).add(party_id)
        closed = state == ApplicationState.APPROVED.value and issued_from.get(application_id) is False
        if state in PENDING_APPLICATIONS and not closed:
            applications.setdefault(party_id, set()).add(application_id)
    permits: dict[int, set[int]] = {}
    for permit_id, application_id, holder_id in in_force:
        for party_id in by_application.get(application_id, set()) | {holder_id}:
            permits.setdefault(party_id, set()).add(permit_id)
    return {
        party_id: Exposure(
            tuple(sorted(applications.get(party_id, ()))), tuple(sorted(permits.get(party_id, ())))
        )
        for party_id in applications.keys() | permits.keys()
    }
