"""A bulk act killed mid-transaction leaves every permit as it was; repeating it completes it once."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date

import pytest
from sqlalchemy import func, select

from exportguard.db.models import AuditEvent, MinisterialDecision, Notice, Permit
from exportguard.services.kernel import audit
from exportguard.services.permits import bulk_actions
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, MINISTER, issued, world

ACT = {
    "command": "suspend",
    "scope": {"destination": "TR"},
    "reason": "review of end use",
    "effective_date": "2020-10-05",
    "decision_ref": "MIN-KILLED-1",
}

# Runs the real command in another process and stops inside its transaction, after the state
# changes, audit rows and the permits' UPDATE are written but before the commit.
CHILD = textwrap.dedent(
    """
    import sys, time
    from exportguard.domain.access import Actor, Role
    from exportguard.services.permits import bulk_actions
    from exportguard.services.system import ExportGuard

    original = bulk_actions._apply_set_based

    def stop_inside(*args, **kwargs):
        original(*args, **kwargs)
        print("INSIDE", flush=True)
        time.sleep(120)

    bulk_actions._apply_set_based = stop_inside
    system = ExportGuard.from_url(sys.argv[1], migrate=False)
    data = bulk_actions.BulkActInput.model_validate_json(sys.argv[2])
    with system.uow(Actor("minister.champagne", Role.MINISTER)) as uow:
        bulk_actions.execute(uow, data)
    """
)


def test_killed_midway_changes_nothing_and_repeating_completes_once(committed_eg: ExportGuard) -> None:
    if committed_eg.engine.dialect.name != "postgresql":
        pytest.skip("the kill test runs on PostgreSQL (SQLite holds one writer lock; same rollback)")
    eg = committed_eg
    w = world(eg)
    ids = [issued(eg, w, quantity=2).id for _ in range(3)]
    with eg.read() as s:
        head_before = s.scalar(select(func.count()).select_from(AuditEvent))
    url = eg.engine.url.render_as_string(hide_password=False)
    data = bulk_actions.BulkActInput.model_validate(ACT)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, data.model_dump_json()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.strip() == "INSIDE", child.stderr.read() if child.stderr else ""
    finally:
        child.kill()  # SIGKILL: no handler runs, the connection drops, PostgreSQL rolls back
        child.wait(timeout=30)
    with eg.read() as s:
        assert set(s.scalars(select(Permit.state).where(Permit.id.in_(ids)))) == {"active"}
        assert s.scalar(select(func.count()).select_from(MinisterialDecision)) == 0
        assert s.scalar(select(func.count()).select_from(Notice)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == head_before
    with eg.uow(MINISTER) as uow:
        first = bulk_actions.execute(uow, data)
    with eg.uow(MINISTER) as uow:
        again = bulk_actions.execute(uow, data)
    assert (first.permit_count, first.repeated, again.repeated) == (3, False, True)
    with eg.read() as s:
        assert set(s.scalars(select(Permit.state).where(Permit.id.in_(ids)))) == {"suspended"}
        assert s.scalar(select(func.count()).select_from(MinisterialDecision)) == 1
        assert audit.verify(s, AUDITOR).ok
    assert date.fromisoformat(ACT["effective_date"]) == first.effective_date
