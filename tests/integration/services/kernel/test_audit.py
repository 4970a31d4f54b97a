"""Audit verification of an intact log and of a permit changed behind its events' back (the
whole tampering suite: test_tampering.py)."""

from __future__ import annotations

from datetime import date

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


def test_intact_log_verifies(eg: ExportGuard) -> None:
    _case(eg)
    report = _report(eg)
    assert report.ok and report.events_checked > 5


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
