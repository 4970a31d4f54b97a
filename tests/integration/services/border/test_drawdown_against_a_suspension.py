"""A drawdown that waits for a suspension being committed is judged on the suspension (EIPA s.10).

The suspension holds the permit's row until it commits; a drawdown arriving meanwhile waits for the
row and must then see the new state change, not the history it would have read before waiting.
"""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import text

from exportguard.db.session import make_engine, make_session_factory
from exportguard.domain.errors import DomainError
from exportguard.domain.permits import PermitCommand
from exportguard.services.border import shipments
from exportguard.services.border.customs_feed import BatchInput, Status, record_batch
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.factories import MINISTER, issued, world
from tests.integration.services.border.test_shipments import CUSTOMS, ship


def _suspend_slowly(
    eg: ExportGuard, permit_id: int, holding: threading.Event, release: threading.Event
) -> None:
    """Suspend from 2020-10-05, holding the permit's row until ``release`` before committing."""
    with eg.uow(MINISTER) as uow:
        real_commit = uow.commit

        def commit() -> None:
            uow.session.flush()
            holding.set()
            release.wait(10)
            real_commit()

        uow.commit = commit  # type: ignore[method-assign]
        permits.alter_permit(
            uow, permit_id, PermitCommand.SUSPEND, Act(reason="review", effective_date=date(2020, 10, 5))
        )


def _until_waiting(eg: ExportGuard) -> None:
    """On PostgreSQL, until a session waits for a row lock (the drawdown); SQLite: a moment."""
    if eg.engine.dialect.name != "postgresql":
        time.sleep(0.5)
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with eg.engine.connect() as conn:
            waiting = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        if waiting:
            return
        time.sleep(0.02)
    raise AssertionError("the drawdown never waited for the permit's row")


@pytest.mark.parametrize("path", ["single", "feed"])
def test_a_drawdown_waiting_on_a_suspension_is_refused_by_it(committed_eg: ExportGuard, path: str) -> None:
    permit = issued(committed_eg, world(committed_eg), quantity=5)
    engine = make_engine(committed_eg.engine.url.render_as_string(hide_password=False), pool_size=4)
    eg = ExportGuard(engine, make_session_factory(engine), committed_eg.clock)
    holding, release = threading.Event(), threading.Event()
    minister = threading.Thread(target=_suspend_slowly, args=(eg, permit.id, holding, release))
    minister.start()
    assert holding.wait(10)
    answer: list[str] = []

    def customs() -> None:
        declaration = ship(permit.id, 1, day=date(2020, 10, 10), declaration="AFTER")
        with eg.uow(CUSTOMS) as uow:
            if path == "feed":
                outcome = record_batch(uow, BatchInput(shipments=[declaration])).outcomes[0]
                answer.append(f"{outcome.status}: {' '.join(outcome.reasons)}")
                return
            try:
                shipments.record_shipment(uow, declaration)
                answer.append("recorded")
            except DomainError as error:
                answer.append(f"refused: {error}")

    border = threading.Thread(target=customs)
    border.start()
    _until_waiting(committed_eg)
    release.set()
    minister.join()
    border.join()
    engine.dispose()
    assert len(answer) == 1 and "suspended on 2020-10-05" in answer[0], answer
    assert not answer[0].startswith(("recorded", Status.RECORDED.value))
