"""Two clerks, one permit: concurrent commands never both apply, and the audit chain never forks."""

from __future__ import annotations

import threading
from datetime import date

from exportguard.domain.errors import DomainError
from exportguard.domain.permits import PermitCommand
from exportguard.services.kernel import audit
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, MINISTER, issued, world


def test_two_ministers_suspend_the_same_permit(committed_eg: ExportGuard) -> None:
    eg = committed_eg
    w = world(eg)
    permit = issued(eg, w)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def suspend() -> None:
        start.wait()
        try:
            with eg.uow(MINISTER) as uow:
                permits.alter_permit(
                    uow,
                    permit.id,
                    PermitCommand.SUSPEND,
                    Act(reason="review", effective_date=date(2020, 10, 5)),
                )
            outcomes.append("suspended")
        except DomainError as exc:
            outcomes.append(f"{exc.status}")

    threads = [threading.Thread(target=suspend) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["409", "409", "409", "suspended"]
    with eg.read() as s:
        report = audit.verify(s, AUDITOR)
        assert report.ok, (report.chain_break, report.mismatches)
        assert [t.command for t in permits.history_of(s, permit.id)] == [
            PermitCommand.ISSUE,
            PermitCommand.SUSPEND,
        ]
