"""Two concurrent executions of one decision reference: one execution, the first result to both."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select

from exportguard.db.models import MinisterialDecision, PermitStateChange
from exportguard.services.kernel import audit
from exportguard.services.permits import bulk_actions
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, MINISTER, issued, world


def test_the_same_decision_executed_twice_at_once_runs_once(committed_eg: ExportGuard) -> None:
    eg = committed_eg
    w = world(eg)
    for _ in range(3):
        issued(eg, w)
    act = bulk_actions.BulkActInput.model_validate(
        {
            "command": "suspend",
            "scope": {"destination": "TR", "item_group": 2},
            "reason": "review of end use",
            "effective_date": date(2020, 10, 5),
            "decision_ref": "MIN-2020-10-05",
        }
    )
    start = threading.Barrier(4)
    results: list[bulk_actions.BulkResult] = []
    errors: list[BaseException] = []

    def execute() -> None:
        start.wait()
        try:
            with eg.uow(MINISTER) as uow:
                results.append(bulk_actions.execute(uow, act))
        except Exception as exc:  # noqa: BLE001 - any error is the failure this test looks for
            errors.append(exc)

    threads = [threading.Thread(target=execute) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.repeated for r in results) == [False, True, True, True]
    first = next(r for r in results if not r.repeated)
    assert all(r.model_dump(exclude={"repeated"}) == first.model_dump(exclude={"repeated"}) for r in results)
    assert first.permit_count == 3
    with eg.read() as s:
        assert s.scalar(select(func.count()).select_from(MinisterialDecision)) == 1
        assert (
            s.scalar(
                select(func.count())
                .select_from(PermitStateChange)
                .where(PermitStateChange.command == "suspend")
            )
            == 3
        )
        assert audit.verify(s, AUDITOR).ok
