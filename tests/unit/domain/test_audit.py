"""The audit chain: hashing, and detection of edits, deletions and reordering (pure)."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

from exportguard.domain.audit import (
    GENESIS,
    AuditEntry,
    ChainVerifier,
    StoredEvent,
    canonical,
    chain,
    event_hash,
    plain,
)


def _events(n: int) -> list[StoredEvent]:
    entries = [
        AuditEntry(
            "suspend_permit",
            "permit",
            i,
            f"EXP-{i}",
            "EIPA s.10(1)",
            "review",
            date(2020, 10, 5),
            {"state": "active"},
            {"state": "suspended"},
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
        AuditEntry("suspend_permit", "permit", 7, "EXP-2019-1/v1", "EIPA s.10(1)", "Réexamen \"urgent\"\n\t✓",
                   date(2020, 10, 5), {"state": "active"}, {"state": "suspended", "decision": "MIN/1"}),
        AuditEntry("x", "permit", 8, "ref", "b", "r", date(2020, 1, 1), None,
                   {"v": Decimal("1.50"), "d": date(2020, 1, 2), "n": [1, {"b": None, "a": True}],
                    "m": {10: "k", 9: "j"}}),
        AuditEntry("x", "permit", 9, "ref", "b", "r", date(2020, 1, 1), {"state": "active"}, None),
    ]  # fmt: skip
    at = datetime(2020, 10, 5, 15, 30, 0, 123, tzinfo=UTC)
    events = chain(
        tricky, principal="minister.é", role="minister", recorded_at=at, last_seq=4, last_hash="ab" * 32
    )
    prev = "ab" * 32
    for n, e in enumerate(events):
        expected = event_hash(
            seq=5 + n, recorded_at=at, principal="minister.é", role="minister", command=e.entry.command,
            subject_type=e.entry.subject_type, subject_id=e.entry.subject_id, subject_ref=e.entry.subject_ref,
            legal_basis=e.entry.legal_basis, reason=e.entry.reason, effective_date=e.entry.effective_date,
            before=plain(e.entry.before), after=plain(e.entry.after), prev_hash=prev,
        )  # fmt: skip
        assert (e.hash, e.prev_hash) == (expected, prev)
        assert (e.before, e.after) == (plain(e.entry.before), plain(e.entry.after))
        assert e.after_json == (canonical(e.after) if e.after is not None else "null")
        prev = e.hash
