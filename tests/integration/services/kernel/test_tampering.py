"""Tampering with the database directly, as its owner could (append-only triggers lifted first):
each case is detected by verification against the last checkpoint published outside it.

The cases of issue 12: edits to an event's reason, principal, time, payload or hash; an edit with
the hash recomputed; deletions in the middle and at the end (with the leaves renumbered, or the
database's own checkpoints deleted too); swapped contents, sequence numbers or leaves; direct edits
to a permit's state, licensed quantity or value, validity, history of state changes, a line's
drawn balance; a deleted shipment; and a forged checkpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from exportguard.adapters.checkpoints import CheckpointFile
from exportguard.db.models import AuditEvent
from exportguard.domain.audit import EVENT_FIELDS, event_hash
from exportguard.domain.ledger import Checkpoint
from exportguard.domain.permits import PermitCommand
from exportguard.services.border import shipments
from exportguard.services.kernel import audit, ledger
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, MINISTER, issued, world
from tests.integration.services.border.test_shipments import CUSTOMS, ship
from tests.tampering import tamper


@dataclass
class Case:
    eg: ExportGuard
    ledger: ledger.Ledger
    suspended: int  # permit id
    shipped: int  # permit id
    shipment: int  # shipment id

    def report(self) -> audit.VerificationReport:
        with self.eg.read() as s:
            return audit.verify(
                s,
                AUDITOR,
                checkpoint=self.ledger.checkpoints.latest(),
                public_key=self.ledger.signer().public,
            )

    def events(self) -> list[AuditEvent]:
        with self.eg.read() as s:
            return list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


@pytest.fixture
def case(eg: ExportGuard, tmp_path: Path) -> Case:
    w = world(eg)
    one, two = issued(eg, w), issued(eg, w, quantity=5)
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, one.id, PermitCommand.SUSPEND, Act(reason="r", effective_date=date(2020, 10, 5))
        )
    with eg.uow(CUSTOMS) as uow:
        done = shipments.record_shipment(uow, ship(two.id, 2))
    sealer = ledger.Ledger(CheckpointFile(tmp_path / "checkpoints.jsonl"), tmp_path / "signing.key")
    with eg.read() as s:
        assert ledger.seal(s, sealer, eg.clock.now()) is not None
    return Case(eg, sealer, one.id, two.id, done.id)


def _sql(*statements: str) -> Callable[[Case], None]:
    def run(c: Case) -> None:
        with c.eg.read() as s:
            tamper(s, *(st.format(c=c, mid=c.events()[3].id, last=c.events()[-1].id) for st in statements))

    return run


def _recompute(reason: str) -> Callable[[Case], None]:
    """Edit the fourth event and recompute its hash with the project's own (unkeyed) function."""

    def run(c: Case) -> None:
        e = c.events()[3]
        values = {**audit_view(e), "reason": reason}
        with c.eg.read() as s:
            tamper(
                s,
                f"UPDATE audit_events SET reason = '{reason}', hash = '{event_hash(values)}' "
                f"WHERE id = {e.id}",
            )

    return run


def audit_view(e: AuditEvent) -> dict[str, object]:
    return ledger.stored(e).hashed()


def _swap_contents(c: Case) -> None:
    """Two events exchange everything but their row ids (each stays consistent with its hash)."""
    a, b = c.events()[2], c.events()[3]
    copied = ", ".join(f"{k} = (SELECT {k} FROM swap WHERE id = {{other}})" for k in EVENT_FIELDS)
    with c.eg.read() as s:
        tamper(
            s,
            f"CREATE TEMPORARY TABLE swap AS SELECT * FROM audit_events WHERE id IN ({a.id}, {b.id})",
            f"UPDATE audit_events SET seq = -seq WHERE id IN ({a.id}, {b.id})",
            f"UPDATE audit_events SET {copied.format(other=b.id)} WHERE id = {a.id}",
            f"UPDATE audit_events SET {copied.format(other=a.id)} WHERE id = {b.id}",
            "DROP TABLE swap",
        )


def _forged_checkpoint(c: Case) -> None:
    real = c.ledger.checkpoints.latest()
    assert real is not None
    forged = Checkpoint(real.size, b"\x00" * 32, real.timestamp, real.signature, real.key_id)
    c.ledger.checkpoints.publish(forged)


TAMPERING: dict[str, tuple[Callable[[Case], None], str]] = {
    "reason edited": (
        _sql("UPDATE audit_events SET reason = 'nothing' WHERE id = {mid}"),
        "content does not match",
    ),
    "principal edited": (
        _sql("UPDATE audit_events SET principal = 'nobody' WHERE id = {mid}"),
        "content does not match",
    ),
    "time edited": (
        _sql("UPDATE audit_events SET recorded_at = '2001-01-01 00:00:00' WHERE id = {mid}"),
        "content does not match",
    ),
    "payload edited": (
        _sql("UPDATE audit_events SET after = NULL WHERE id = {mid}"),
        "content does not match",
    ),
    "hash edited": (
        _sql("UPDATE audit_events SET hash = '" + "0" * 64 + "' WHERE id = {mid}"),
        "content does not match",
    ),
    "edited, hash recomputed": (_recompute("nothing to see"), "no longer hash to the root"),
    "middle event deleted": (
        _sql("DELETE FROM audit_leaves WHERE event_id = {mid}", "DELETE FROM audit_events WHERE id = {mid}"),
        "is missing",
    ),
    "middle event deleted, leaves renumbered": (
        _sql(
            "DELETE FROM audit_leaves WHERE event_id = {mid}",
            "DELETE FROM audit_events WHERE id = {mid}",
            "UPDATE audit_leaves SET leaf_index = leaf_index - 1 WHERE leaf_index > 3",
        ),
        "deleted",
    ),
    "last events deleted, database checkpoints too": (
        _sql(
            "DELETE FROM audit_leaves WHERE event_id = {last}",
            "DELETE FROM audit_events WHERE id = {last}",
            "DELETE FROM audit_checkpoints",
        ),
        "events at the end were deleted",
    ),
    "contents swapped": (_swap_contents, "no longer hash to the root"),
    "sequence numbers swapped": (
        _sql(
            "UPDATE audit_events SET seq = -seq WHERE id = {mid}",
        ),
        "content does not match",
    ),
    "leaves reordered": (
        _sql(
            "UPDATE audit_leaves SET leaf_index = -1 WHERE leaf_index = 2",
            "UPDATE audit_leaves SET leaf_index = 2 WHERE leaf_index = 3",
            "UPDATE audit_leaves SET leaf_index = 3 WHERE leaf_index = -1",
        ),
        "no longer hash to the root",
    ),
    "checkpoint forged": (_forged_checkpoint, "signature does not verify"),
}

FACTS: dict[str, tuple[Callable[[Case], None], str]] = {
    "permit state": (
        _sql("UPDATE permits SET state = 'active' WHERE id = {c.suspended}"),
        "stored as active",
    ),
    "licensed quantity": (
        _sql("UPDATE permit_lines SET quantity = 700 WHERE permit_id = {c.shipped}"),
        "licensed lines",
    ),
    "licensed value": (
        _sql("UPDATE permit_lines SET unit_value = unit_value * 10 WHERE permit_id = {c.shipped}"),
        "licensed lines",
    ),
    "validity": (_sql("UPDATE permits SET valid_to = '2030-12-31' WHERE id = {c.suspended}"), "valid to"),
    "state change history": (
        _sql(
            "UPDATE permit_state_changes SET effective_date = '2021-01-01' WHERE permit_id = {c.suspended} "
            "AND state = 'suspended'"
        ),
        "state changes",
    ),
    "drawn balance": (_sql("UPDATE permit_line_usage SET quantity = 0"), "drawn"),
    "shipment deleted": (
        _sql(
            "DELETE FROM shipment_lines WHERE shipment_id = {c.shipment}",
            "DELETE FROM shipments WHERE id = {c.shipment}",
        ),
        "record",
    ),
}


def test_the_untouched_log_verifies_against_its_checkpoint(case: Case) -> None:
    report = case.report()
    assert report.ok, (report.chain_break, report.mismatches, report.facts)
    assert report.unsealed == 0 and report.checkpoint is not None
    assert report.events_checked == report.checkpoint.size == len(case.events())


def test_the_audit_tables_refuse_update_and_delete(case: Case) -> None:
    for statement in (
        "UPDATE audit_events SET reason = 'x'",
        "DELETE FROM audit_events",
        "DELETE FROM audit_leaves",
        "UPDATE audit_checkpoints SET size = 0",
    ):
        with case.eg.read() as s, pytest.raises(Exception, match="append-only"):
            s.execute(text(statement))


@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampering_with_the_log_is_detected(case: Case, how: str) -> None:
    act, expected = TAMPERING[how]
    act(case)
    report = case.report()
    assert report.chain_break is not None, how
    assert expected in str(report.chain_break), str(report.chain_break)


@pytest.mark.parametrize("how", list(FACTS))
def test_a_direct_edit_of_what_may_be_shipped_is_detected(case: Case, how: str) -> None:
    act, fact = FACTS[how]
    act(case)
    report = case.report()
    assert report.chain_break is None
    found = [str(m) for m in report.mismatches] + [f"{m.fact}: {m}" for m in report.facts]
    assert any(fact in line for line in found), found
