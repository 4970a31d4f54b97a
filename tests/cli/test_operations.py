"""exportguard db backup | db restore, and the one-line error while the database is away (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from exportguard.db.models import AuditEvent, Permit, Shipment
from exportguard.services.system import ExportGuard
from tests.cli.conftest import Invoke, _invoke_on, url_of


def _counts(url: str) -> tuple[int, ...]:
    system = ExportGuard.from_url(url, migrate=False)
    with system.read() as session:
        found = tuple(
            session.scalar(select(func.count()).select_from(m)) or 0 for m in (Permit, Shipment, AuditEvent)
        )
    system.engine.dispose()
    return found


def test_backup_then_restore_into_an_empty_database_round_trips_and_verifies(
    own_cli: tuple[Invoke, ExportGuard], empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoke, system = own_cli
    backup = tmp_path / "backups" / "exportguard.backup"
    made = invoke("db", "backup", str(backup))
    assert made.exit_code == 0, made.output
    assert backup.is_file()
    assert "backup written" in made.output
    assert not list(backup.parent.glob(".*partial"))
    restore = _invoke_on(empty_url, monkeypatch)
    done = restore("db", "restore", str(backup))
    assert done.exit_code == 0, done.output
    assert _counts(empty_url) == _counts(url_of(system))
    assert _counts(empty_url)[0] > 0
    verified = restore("audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "audit chain intact" in verified.output


def test_restore_refuses_a_database_that_holds_data_unless_replace(
    own_cli: tuple[Invoke, ExportGuard], tmp_path: Path
) -> None:
    invoke, system = own_cli
    backup = tmp_path / "b.backup"
    assert invoke("db", "backup", str(backup)).exit_code == 0
    before = _counts(url_of(system))
    refused = invoke("db", "restore", str(backup))
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines() == [
        "error: the target database is not empty; pass --replace to overwrite it"
    ]
    replaced = invoke("db", "restore", str(backup), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert _counts(url_of(system)) == before
    assert invoke("audit", "verify").exit_code == 0


def test_restore_of_a_missing_or_foreign_file_is_one_line(
    own_cli: tuple[Invoke, ExportGuard], empty_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    restore = _invoke_on(empty_url, monkeypatch)
    missing = restore("db", "restore", str(tmp_path / "nope.backup"))
    assert missing.exit_code == 1
    assert missing.output.strip() == f"error: no backup file at {tmp_path / 'nope.backup'}"
    foreign = tmp_path / "foreign.backup"
    foreign.write_text("not a backup at all\n" * 100)
    bad = restore("db", "restore", str(foreign))
    assert bad.exit_code == 1
    assert len(bad.output.strip().splitlines()) == 1
    assert bad.output.startswith("error: ")


def test_an_unreachable_database_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    invoke = _invoke_on("postgresql+psycopg://postgres@127.0.0.1:1/none", monkeypatch)
    for args in (("audit", "verify"), ("permits", "list")):
        result = invoke(*args)
        assert result.exit_code == 75, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1
        assert lines[0].startswith("error: the database cannot be reached")
        assert "Traceback" not in result.output
    dump = invoke("db", "backup", "/tmp/never-written")  # pg_dump says why, in one line
    assert dump.exit_code == 1
    assert dump.output.strip().splitlines() == [
        "error: pg_dump failed: Is the server running on that host and accepting TCP/IP connections?"
    ]
