"""Custom lists kept in the system, e.g. parties an investigation found to divert goods.

Each change makes a new snapshot of the list, so custom lists share everything the official ones
have: content hashes, diffs, dispositions that hold until the entry changes, and re-screening of
pending applications and permits in force against what changed.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from pydantic import Field, StringConstraints
from sqlalchemy import select

from exportguard.adapters.sanctions_lists.snapshot import ParsedList
from exportguard.db.models import ListSnapshot
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import InvalidInput, NotFound, Problem
from exportguard.domain.screening.entries import ListEntry, PartialDate, Schema
from exportguard.services.kernel.common import CountryCodeStr, Input, NonEmpty
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.screening.commands import LEGAL_BASIS, ImportView, import_list
from exportguard.services.screening.store import snapshot_entries

PREFIX = "custom:"
ListName = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]{1,30}$")]


class CustomEntryInput(Input):
    list_name: ListName = Field(description="e.g. 'diverters'; the list's source is 'custom:<name>'")
    entry_id: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._-]{1,60}$")]
    schema_: Schema = Field(default=Schema.ORGANISATION, alias="schema")
    names: list[NonEmpty] = Field(min_length=1)
    countries: list[CountryCodeStr] = []
    birth_dates: list[Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]] = []
    reason: NonEmpty = Field(description="Why the party is listed, e.g. the investigation's finding")


def _current(uow: UnitOfWork, source: str) -> list[ListEntry]:
    latest = uow.session.scalar(
        select(ListSnapshot).where(ListSnapshot.source == source).order_by(ListSnapshot.id.desc()).limit(1)
    )
    return snapshot_entries(uow.session, latest) if latest else []


def _parsed(source: str, entries: list[ListEntry]) -> ParsedList:
    """A snapshot of the list's entries, hashed over their canonical content."""
    ordered = tuple(sorted(entries, key=lambda e: e.entry_id))
    canonical = json.dumps(
        [
            [
                e.entry_id,
                e.schema.value,
                list(e.names),
                sorted(e.countries),
                [str(d) for d in e.birth_dates],
                e.remarks,
            ]
            for e in ordered
        ],
        ensure_ascii=False,
    )
    return ParsedList(
        source=source, content_hash=hashlib.sha256(canonical.encode()).hexdigest(), entries=ordered
    )


def add_custom_entry(uow: UnitOfWork, data: CustomEntryInput) -> ImportView:
    """List a party (or replace its entry); pending work is re-screened against it."""
    source = PREFIX + data.list_name
    entry = ListEntry(
        source=source,
        entry_id=data.entry_id,
        schema=data.schema_,
        names=tuple(data.names),
        countries=frozenset(data.countries),
        birth_dates=tuple(d for d in map(PartialDate.parse, data.birth_dates) if d is not None),
        programs=(data.list_name,),
        remarks=data.reason,
    )
    entries = [e for e in _current(uow, source) if e.entry_id != data.entry_id] + [entry]
    uow.record(
        AuditEntry(
            command=AuditCommand.ADD_CUSTOM_LIST_ENTRY,
            subject_type="custom_list_entry",
            subject_id=0,
            subject_ref=f"{source}/{data.entry_id}"[:64],
            legal_basis=LEGAL_BASIS,
            reason=data.reason,
            effective_date=uow.clock.today(),
            before=None,
            after=data.model_dump(mode="json"),
        )
    )
    return import_list(uow, _parsed(source, entries))


def remove_custom_entry(uow: UnitOfWork, list_name: str, entry_id: str, reason: str) -> ImportView:
    """Delist a party: a new snapshot without it (earlier snapshots keep the record)."""
    source = PREFIX + list_name
    current = _current(uow, source)
    if not any(e.entry_id == entry_id for e in current):
        raise NotFound(f"{source} has no entry {entry_id}", [Problem("entry_id", "not on the list")])
    if not reason.strip():
        raise InvalidInput.of("reason", "a reason is required to delist a party")
    uow.record(
        AuditEntry(
            command=AuditCommand.REMOVE_CUSTOM_LIST_ENTRY,
            subject_type="custom_list_entry",
            subject_id=0,
            subject_ref=f"{source}/{entry_id}"[:64],
            legal_basis=LEGAL_BASIS,
            reason=reason,
            effective_date=uow.clock.today(),
            before={"entry_id": entry_id},
            after=None,
        )
    )
    remaining = _parsed(source, [e for e in current if e.entry_id != entry_id])
    # Removing one named entry is itself the deliberate act a shrinking import waits for.
    return import_list(uow, remaining, confirm=remaining.content_hash)
