"""audit verify on the demo database, after tampering with it directly, and the demo command."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from exportguard.db.models import AuditEvent
from exportguard.services.system import ExportGuard
from tests.cli.conftest import Invoke
from tests.tampering import tamper

SEQ = 40


def test_verify_passes_on_the_demo(cli: Invoke) -> None:
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.stderr
    assert "intact" in result.stdout


# The owner of the database lifts the append-only triggers first (tests/tampering.py); the log was
# sealed and its checkpoint published beforehand (the job worker does so every minute).
TAMPERING = {
    "edited": [f"UPDATE audit_events SET reason = 'nothing to see' WHERE seq = {SEQ}"],
    "deleted": [
        f"DELETE FROM audit_leaves WHERE event_id = (SELECT id FROM audit_events WHERE seq = {SEQ})",
        f"DELETE FROM audit_events WHERE seq = {SEQ}",
    ],
    "reordered": [
        f"UPDATE audit_events SET seq = -1 WHERE seq = {SEQ}",
        f"UPDATE audit_events SET seq = {SEQ} WHERE seq = {SEQ + 1}",
        f"UPDATE audit_events SET seq = {SEQ + 1} WHERE seq = -1",
    ],
}


@pytest.mark.parametrize("how", TAMPERING)
def test_verify_names_the_first_bad_event(
    own_cli: tuple[Invoke, ExportGuard], how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli, system = own_cli
    monkeypatch.setenv("EXPORTGUARD_CHECKPOINT_FILE", str(tmp_path / "checkpoints.jsonl"))
    monkeypatch.setenv("EXPORTGUARD_AUDIT_KEY_FILE", str(tmp_path / "signing.key"))
    assert cli("audit", "seal").exit_code == 0
    with system.read() as s:
        tamper(s, *TAMPERING[how])
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert "audit chain broken at event #" in result.stderr
    assert f"#{SEQ}" in result.stderr or f"#{SEQ + 1}" in result.stderr


def test_verify_reports_a_permit_changed_behind_its_back(own_cli: tuple[Invoke, ExportGuard]) -> None:
    cli, system = own_cli
    with system.engine.begin() as conn:
        conn.execute(text("UPDATE permits SET state = 'active' WHERE number = 'EXP-2020-104513'"))
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert "chain broken" not in result.stderr
    mismatch = [line for line in result.stderr.splitlines() if line.startswith("state mismatch")]
    assert len(mismatch) == 1
    assert (
        "EXP-2020-104513/v1" in mismatch[0]
        and "stored as active" in mismatch[0]
        and "cancelled" in mismatch[0]
    )


def test_demo_twice_changes_nothing(own_cli: tuple[Invoke, ExportGuard]) -> None:
    cli, system = own_cli  # loaded once by the fixture
    with system.read() as s:
        before = s.scalar(select(func.count()).select_from(AuditEvent))
    result = cli("demo", "--no-serve")
    assert result.exit_code == 0, result.stderr
    assert "0 steps loaded" in result.stdout
    assert "demo-minister-garneau" in result.stdout
    with system.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert cli("audit", "verify").exit_code == 0


def test_a_minister_acts_through_the_cli(own_cli: tuple[Invoke, ExportGuard]) -> None:
    cli, _ = own_cli
    result = cli(
        "--token",
        "demo-minister-garneau",
        "permits",
        "suspend",
        "EXP-2020-105120",
        "--reason",
        "review",
        "--effective-date",
        "2021-05-01",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    assert '"state": "suspended"' in result.stdout
    assert cli("audit", "verify").exit_code == 0
