"""Audit verification against direct tampering with the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import text

from exportguard.domain.permits import PermitCommand
from exportguard.services.kernel import audit
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, MINISTER, issued, world


def _case(eg: ExportGuard) -> int:
    w = world(eg)
    permit = issued(eg, w)
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.SUSPEND, Act(reason="r", effective_date=date(2020, 10, 5))
        )
    return permit.id


def _report(eg: ExportGuard) -> audit.VerificationReport:
    with eg.read() as s:
        return audit.verify(s, AUDITOR)


TAMPERING: dict[str, tuple[Callable[[int], str], str]] = {
    "edit": (lambda _pid: "UPDATE audit_events SET reason = 'nothing' WHERE seq = 4", "event #4"),
    "delete": (lambda _pid: "DELETE FROM audit_events WHERE seq = 3", "event #3"),
    "delete-last": (
        lambda _pid: "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)",
        "",
    ),
    "reorder": (
        lambda _pid: (
            "UPDATE audit_events SET seq = -1 WHERE seq = 2; "
            "UPDATE audit_events SET seq = 2 WHERE seq = 3; "
            "UPDATE audit_events SET seq = 3 WHERE seq = -1"
        ),
        "event #2",
    ),
}


def test_intact_log_verifies(eg: ExportGuard) -> None:
    _case(eg)
    report = _report(eg)
    assert report.ok and report.events_checked > 5


@pytest.mark.parametrize("how", list(TAMPERING))
def test_tampering_is_named(eg: ExportGuard, how: str) -> None:
    pid = _case(eg)
    total = _report(eg).events_checked
    sql, first = TAMPERING[how]
    with eg.read() as s:
        for statement in sql(pid).split("; "):
            s.execute(text(statement))
        s.commit()
    report = _report(eg)
    assert report.chain_break is not None
    expected = first or f"event #{total}"
    assert str(report.chain_break).startswith(expected), str(report.chain_break)


def test_state_disagreeing_with_audit_is_reported(eg: ExportGuard) -> None:
    pid = _case(eg)
    with eg.read() as s:
        s.execute(text("UPDATE permits SET state = 'active' WHERE id = :id"), {"id": pid})
        s.commit()
    report = _report(eg)
    assert report.chain_break is None
    assert [(m.permit_id, m.stored_state, m.audited_state) for m in report.mismatches] == [
        (pid, "active", "suspended")
    ]
