"""The audit chain: hashing, and detection of edits, deletions and reordering (pure)."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from exportguard.db.models import AuditEvent
from exportguard.domain.applications import AUDITED_AS as APPLICATION_AUDITED_AS
from exportguard.domain.applications import ApplicationCommand
from exportguard.domain.audit import (
    ENTRY_FIELDS,
    EVENT_FIELDS,
    GENESIS,
    HASHED_FIELDS,
    AuditCommand,
    AuditEntry,
    ChainVerifier,
    StoredEvent,
    canonical,
    chain,
    event_hash,
    plain,
)
from exportguard.domain.bulk_actions import BulkCommand
from exportguard.domain.permits import AUDITED_AS as PERMIT_AUDITED_AS
from exportguard.domain.permits import PermitCommand


def _events(n: int) -> list[StoredEvent]:
    entries = [
        AuditEntry(
            command=AuditCommand.SUSPEND_PERMIT,
            subject_type="permit",
            subject_id=i,
            subject_ref=f"EXP-{i}",
            legal_basis="EIPA s.10(1)",
            reason="review",
            effective_date=date(2020, 10, 5),
            before={"state": "active"},
            after={"state": "suspended"},
        )
        for i in range(1, n + 1)
    ]
    chained = chain(
        entries,
        principal="minister",
        role="minister",
        recorded_at=datetime(2020, 10, 5, 9, tzinfo=UTC),
        last_seq=0,
        last_hash=GENESIS,
    )
    return [
        StoredEvent(
            id=c.seq,
            seq=c.seq,
            recorded_at=c.recorded_at,
            principal=c.principal,
            role=c.role,
            command=c.entry.command,
            subject_type=c.entry.subject_type,
            subject_id=c.entry.subject_id,
            subject_ref=c.entry.subject_ref,
            legal_basis=c.entry.legal_basis,
            reason=c.entry.reason,
            effective_date=c.entry.effective_date,
            before=plain(c.entry.before),
            after=plain(c.entry.after),
            prev_hash=c.prev_hash,
            hash=c.hash,
        )
        for c in chained
    ]


def _verify(events: list[StoredEvent], head_seq: int, head_hash: str) -> str | None:
    v = ChainVerifier()
    for e in events:
        if not v.feed(e):
            break
    found = v.finish(head_seq=head_seq, head_hash=head_hash)
    return None if found is None else str(found)


def test_intact_chain_verifies() -> None:
    events = _events(5)
    assert _verify(events, 5, events[-1].hash) is None
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))


def test_edited_event_is_named() -> None:
    events = _events(5)
    events[2] = dataclasses.replace(events[2], reason="nothing to see")
    assert (
        _verify(events, 5, events[-1].hash)
        == "event #3 (id 3): its content does not match its hash (the row was edited)"
    )


def test_deleted_event_is_named() -> None:
    events = _events(5)
    del events[1]
    result = _verify(events, 5, events[-1].hash)
    assert result is not None and result.startswith("event #2") and "missing" in result


def test_deleted_last_event_is_caught_by_the_head() -> None:
    events = _events(5)
    result = _verify(events[:-1], 5, events[-1].hash)
    assert result is not None and result.startswith("event #5")


def test_reordered_events_are_named() -> None:
    events = _events(5)
    a, b = events[1], events[2]
    events[1] = dataclasses.replace(b, seq=2, id=2)
    events[2] = dataclasses.replace(a, seq=3, id=3)
    result = _verify(events, 5, events[-1].hash)
    assert result is not None and result.startswith("event #2")


def test_chain_hashes_exactly_what_event_hash_hashes() -> None:
    """chain() assembles the canonical text from pieces; the verifier recomputes it whole."""
    tricky = [
        AuditEntry(
            command=AuditCommand.SUSPEND_PERMIT,
            subject_type="permit",
            subject_id=7,
            subject_ref="EXP-2019-1/v1",
            legal_basis="EIPA s.10(1)",
            reason='Réexamen "urgent"\n\t✓',
            effective_date=date(2020, 10, 5),
            before={"state": "active"},
            after={"state": "suspended", "decision": "MIN/1"},
        ),
        AuditEntry(
            command=AuditCommand.SAVE_SCOPE,
            subject_type="permit",
            subject_id=8,
            subject_ref="ref",
            legal_basis="b",
            reason="r",
            effective_date=date(2020, 1, 1),
            before=None,
            after={
                "v": Decimal("1.50"),
                "d": date(2020, 1, 2),
                "n": [1, {"b": None, "a": True}],
                "m": {10: "k", 9: "j"},
            },
        ),
        AuditEntry(
            command=AuditCommand.SAVE_SCOPE,
            subject_type="permit",
            subject_id=9,
            subject_ref="ref",
            legal_basis="b",
            reason="r",
            effective_date=date(2020, 1, 1),
            before={"state": "active"},
            after=None,
        ),
    ]
    at = datetime(2020, 10, 5, 15, 30, 0, 123, tzinfo=UTC)
    events = chain(
        tricky, principal="minister.é", role="minister", recorded_at=at, last_seq=4, last_hash="ab" * 32
    )
    prev = "ab" * 32
    for n, e in enumerate(events):
        expected = event_hash(dict(  # noqa: C408 - the hashed fields by name, as the spec reads
            seq=5 + n, recorded_at=at, principal="minister.é", role="minister", command=e.entry.command,
            subject_type=e.entry.subject_type, subject_id=e.entry.subject_id, subject_ref=e.entry.subject_ref,
            legal_basis=e.entry.legal_basis, reason=e.entry.reason, effective_date=e.entry.effective_date,
            before=plain(e.entry.before), after=plain(e.entry.after), prev_hash=prev,
        ))  # fmt: skip
        assert (e.hash, e.prev_hash) == (expected, prev)
        assert (e.before, e.after) == (plain(e.entry.before), plain(e.entry.after))
        assert e.after_json == (canonical(e.after) if e.after is not None else "null")
        prev = e.hash


def test_an_entry_is_written_by_keyword_only() -> None:
    with pytest.raises(TypeError):
        AuditEntry(AuditCommand.SUSPEND_PERMIT, "permit", 1, "EXP-1", "b", "r", date(2020, 1, 1), None, None)  # type: ignore[misc]


def test_the_field_list_is_declared_once_and_agrees_with_storage() -> None:
    """A stored event, its hash and the COPY writer all take their fields from EVENT_FIELDS."""
    assert EVENT_FIELDS[:4] == ("seq", "recorded_at", "principal", "role")
    assert EVENT_FIELDS[4:-2] == ENTRY_FIELDS and EVENT_FIELDS[-2:] == ("prev_hash", "hash")
    assert EVENT_FIELDS[:-1] == HASHED_FIELDS
    assert [f.name for f in dataclasses.fields(StoredEvent)] == ["id", *EVENT_FIELDS]
    assert set(AuditEvent.__table__.columns.keys()) == {"id", *EVENT_FIELDS}
    with pytest.raises(ValueError, match="hashes exactly"):
        event_hash({"seq": 1})


def test_a_chained_event_row_is_in_column_order() -> None:
    (event,) = chain(
        [_entry()], principal="p", role="officer", recorded_at=datetime(2020, 1, 1, tzinfo=UTC),
        last_seq=0, last_hash=GENESIS,
    )  # fmt: skip
    row = dict(zip(EVENT_FIELDS, event.row(), strict=True))
    assert row["command"] == "suspend_permit" and row["seq"] == 1 and row["hash"] == event.hash
    assert row["after"] == {"state": "suspended"}
    text = dict(zip(EVENT_FIELDS, event.row(json_text=True), strict=True))
    assert text["after"] == '{"state":"suspended"}' and text["before"] == '{"state":"active"}'


@pytest.mark.parametrize(
    ("table", "commands"),
    [(PERMIT_AUDITED_AS, list(PermitCommand)), (APPLICATION_AUDITED_AS, list(ApplicationCommand))],
)
def test_every_lifecycle_command_has_its_audit_name(table: dict, commands: list) -> None:  # type: ignore[type-arg]
    assert sorted(table) == sorted(commands)
    assert len(set(table.values())) == len(commands)


def test_every_bulk_command_has_its_audit_name() -> None:
    assert {c.audited_as for c in BulkCommand} == {
        AuditCommand.BULK_SUSPEND, AuditCommand.BULK_REINSTATE, AuditCommand.BULK_CANCEL,
        AuditCommand.BULK_AMEND_VALIDITY,
    }  # fmt: skip


def _entry() -> AuditEntry:
    return AuditEntry(
        command=AuditCommand.SUSPEND_PERMIT, subject_type="permit", subject_id=1, subject_ref="EXP-1",
        legal_basis="EIPA s.10(1)", reason="review", effective_date=date(2020, 10, 5),
        before={"state": "active"}, after={"state": "suspended"},
    )  # fmt: skip
