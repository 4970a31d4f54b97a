"""Audit events: numbering and hashing (pure); the tree over them is tested in test_ledger.py."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from exportguard.db.models import AuditEvent
from exportguard.domain.applications import AUDITED_AS as APPLICATION_AUDITED_AS
from exportguard.domain.applications import ApplicationCommand
from exportguard.domain.audit import (
    ENTRY_FIELDS,
    EVENT_FIELDS,
    HASHED_FIELDS,
    AuditCommand,
    AuditEntry,
    StoredEvent,
    canonical,
    chain,
    event_hash,
    plain,
)
from exportguard.domain.bulk_actions import BulkCommand
from exportguard.domain.permits import AUDITED_AS as PERMIT_AUDITED_AS
from exportguard.domain.permits import PermitCommand


def test_each_event_is_hashed_alone_as_a_leaf() -> None:
    """No event carries its predecessor's hash: writers need not wait on one another."""
    entries = [dataclasses.replace(_entry(), subject_id=i) for i in (1, 2)]
    at = datetime(2020, 10, 5, 9, tzinfo=UTC)
    a = chain(entries, principal="m", role="minister", recorded_at=at, first_seq=7)
    b = chain(entries[1:], principal="m", role="minister", recorded_at=at, first_seq=8)
    assert [e.seq for e in a] == [7, 8]
    assert a[1].hash == b[0].hash  # the same event, whatever came before it
    edited = dataclasses.replace(entries[1], reason="nothing to see")
    assert chain([edited], principal="m", role="minister", recorded_at=at, first_seq=8)[0].hash != b[0].hash


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
    events = chain(tricky, principal="minister.é", role="minister", recorded_at=at, first_seq=5)
    for n, e in enumerate(events):
        expected = event_hash(dict(  # noqa: C408 - the hashed fields by name, as the spec reads
            seq=5 + n, recorded_at=at, principal="minister.é", role="minister", command=e.entry.command,
            subject_type=e.entry.subject_type, subject_id=e.entry.subject_id, subject_ref=e.entry.subject_ref,
            legal_basis=e.entry.legal_basis, reason=e.entry.reason, effective_date=e.entry.effective_date,
            before=plain(e.entry.before), after=plain(e.entry.after),
        ))  # fmt: skip
        assert e.hash == expected
        assert (e.before, e.after) == (plain(e.entry.before), plain(e.entry.after))
        assert e.after_json == (canonical(e.after) if e.after is not None else "null")


def test_an_entry_is_written_by_keyword_only() -> None:
    with pytest.raises(TypeError):
        AuditEntry(AuditCommand.SUSPEND_PERMIT, "permit", 1, "EXP-1", "b", "r", date(2020, 1, 1), None, None)  # type: ignore[misc]


def test_the_field_list_is_declared_once_and_agrees_with_storage() -> None:
    """A stored event, its hash and the COPY writer all take their fields from EVENT_FIELDS."""
    assert EVENT_FIELDS[:4] == ("seq", "recorded_at", "principal", "role")
    assert EVENT_FIELDS[4:-1] == ENTRY_FIELDS and EVENT_FIELDS[-1:] == ("hash",)
    assert EVENT_FIELDS[:-1] == HASHED_FIELDS
    assert [f.name for f in dataclasses.fields(StoredEvent)] == ["id", *EVENT_FIELDS]
    assert set(AuditEvent.__table__.columns.keys()) == {"id", *EVENT_FIELDS}
    with pytest.raises(ValueError, match="hashes exactly"):
        event_hash({"seq": 1})


def test_a_chained_event_row_is_in_column_order() -> None:
    (event,) = chain(
        [_entry()], principal="p", role="officer", recorded_at=datetime(2020, 1, 1, tzinfo=UTC),
        first_seq=1,
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
