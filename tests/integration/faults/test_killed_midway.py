"""A process killed (SIGKILL) inside a list import, a drawdown or a backup leaves every record as it
was before; done again, each completes once (issue 12). The bulk act's own kill test is in
tests/integration/services/permits/test_bulk_interrupted.py.

The child runs the real command and stops at the last moment before its commit (the session's
``commit`` replaced by a pause), so the kill lands with every statement of the use case executed.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from exportguard.db.backup import backup
from exportguard.db.models import AuditEvent, ListEntryRecord, ListSnapshot, PermitLineUsage, Shipment
from exportguard.domain.access import Actor, Role
from exportguard.services.border import shipments
from exportguard.services.kernel import audit
from exportguard.services.screening.list_imports import import_files
from exportguard.services.system import ExportGuard
from tests.conftest import shared_data
from tests.factories import AUDITOR, OFFICER, issued, world

CUSTOMS = Actor("customs.cbsa", Role.CUSTOMS)

CHILD = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from sqlalchemy.orm import Session
    from exportguard.domain.access import Actor, Role
    from exportguard.services.system import ExportGuard

    def pause(*args, **kwargs):
        print("INSIDE", flush=True)
        time.sleep(120)

    url, what, arg = sys.argv[1], sys.argv[2], sys.argv[3]
    system = ExportGuard.from_url(url, migrate=False)
    if what == "import":
        from exportguard.services.screening.list_imports import import_files
        Session.commit = pause
        with system.uow(Actor("officer.ortiz", Role.OFFICER)) as uow:
            import_files(uow, "bis-denied-persons", [("dpl.txt", Path(arg).read_bytes())])
    elif what == "drawdown":
        from exportguard.services.border import shipments
        Session.commit = pause
        with system.uow(Actor("customs.cbsa", Role.CUSTOMS)) as uow:
            shipments.record_shipment(uow, shipments.ShipmentInput.model_validate_json(arg))
    elif what == "backup":
        from exportguard.db.backup import backup
        Path.replace = pause  # the complete backup is about to take the target's name
        backup(system.engine, Path(arg))
    """
)


def _kill_inside(system: ExportGuard, what: str, arg: str) -> None:
    url = system.engine.url.render_as_string(hide_password=False)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, what, arg],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "INSIDE", child.stderr.read() if child.stderr else line
    finally:
        child.kill()  # SIGKILL: no handler, no rollback of its own
        child.wait(timeout=30)


def _counts(system: ExportGuard, *models: type) -> tuple[int, ...]:
    with system.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0 for m in models)


def _verified(system: ExportGuard) -> bool:
    with system.read() as s:
        return audit.verify(s, AUDITOR).ok


def test_a_list_import_killed_before_its_commit_leaves_nothing(committed_eg: ExportGuard) -> None:
    listed = shared_data("sanctions/bis-denied-persons.txt")
    before = _counts(committed_eg, ListSnapshot, ListEntryRecord, AuditEvent)
    _kill_inside(committed_eg, "import", str(listed))
    assert _counts(committed_eg, ListSnapshot, ListEntryRecord, AuditEvent) == before
    assert _verified(committed_eg)
    with committed_eg.uow(OFFICER) as uow:
        done = import_files(uow, "bis-denied-persons", [("dpl.txt", listed.read_bytes())])
    assert done.created
    after = _counts(committed_eg, ListSnapshot, ListEntryRecord, AuditEvent)
    assert after[0] == before[0] + 1 and after[1] == before[1] + done.entries
    assert _verified(committed_eg)


def test_a_drawdown_killed_before_its_commit_draws_nothing(committed_eg: ExportGuard) -> None:
    permit = issued(committed_eg, world(committed_eg), quantity=5)
    data = shipments.ShipmentInput(
        declaration_id="KILLED-1",
        permit_id=permit.id,
        shipped_on=date(2020, 6, 18),
        lines=[shipments.ShipmentLineInput(permit_line_no=1, quantity=2)],
    )
    with committed_eg.read() as s:
        balance_before = s.scalars(select(PermitLineUsage.quantity)).all()
    before = _counts(committed_eg, Shipment, AuditEvent)
    _kill_inside(committed_eg, "drawdown", data.model_dump_json())
    assert _counts(committed_eg, Shipment, AuditEvent) == before
    with committed_eg.read() as s:
        assert s.scalars(select(PermitLineUsage.quantity)).all() == balance_before
    assert _verified(committed_eg)
    with committed_eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, data)
    assert _counts(committed_eg, Shipment, AuditEvent) == (before[0] + 1, before[1] + 1)
    with committed_eg.read() as s:
        assert s.scalars(select(PermitLineUsage.quantity)).all() == [2]
    assert _verified(committed_eg)


def test_a_backup_killed_midway_leaves_the_previous_backup_in_place(
    committed_eg: ExportGuard, tmp_path: Path
) -> None:
    issued(committed_eg, world(committed_eg))
    target = tmp_path / "nightly.backup"
    backup(committed_eg.engine, target)
    previous = target.read_bytes()
    _kill_inside(committed_eg, "backup", str(target))
    assert target.read_bytes() == previous  # before, never half of the next one
    report = backup(committed_eg.engine, target)  # the next run completes over the leftover
    assert report.size == target.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == ["nightly.backup"]
