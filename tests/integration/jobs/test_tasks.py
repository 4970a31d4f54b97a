"""The jobs, run by procrastinate's worker on the real queue (PostgreSQL) or in memory (SQLite)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, text

from exportguard.adapters.clock import FixedClock
from exportguard.adapters.notifications import InMemorySender
from exportguard.db.models import AuditEvent, ExportRollupSeal, Notice, Party, Permit
from exportguard.domain.permits import PermitCommand
from exportguard.jobs.queue import SCHEMA, ensure_schema
from exportguard.jobs.tasks import Schedule, job_app
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.factories import MINISTER, issued, ship, world


def _run(system: ExportGuard, task: str, senders: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """Queue ``task`` and run the worker until the queues are empty."""
    ensure_schema(system.engine)
    app = job_app(system, schedule=Schedule(), senders=senders or {})

    async def work() -> None:
        async with app.open_async():
            await app.configure_task(task).defer_async(**kwargs)
            await app.run_worker_async(wait=False, install_signal_handlers=False)

    asyncio.run(work())


def test_the_expiry_sweep_runs_as_a_job_under_the_scheduler(committed_eg: ExportGuard) -> None:
    w = world(committed_eg)
    permit = issued(committed_eg, w)
    assert isinstance(committed_eg.clock, FixedClock)
    committed_eg.clock.set(datetime(2021, 7, 2, 6, 0, tzinfo=UTC))
    _run(committed_eg, "expire_permits", timestamp=0)
    with committed_eg.read() as s:
        assert s.get(Permit, permit.id).state == "expired"  # type: ignore[union-attr]
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert (event.principal, event.subject_id) == ("scheduler", permit.id)
    assert "expire" in event.command
    _run(committed_eg, "expire_permits", timestamp=1)  # idempotent: nothing more to expire
    with committed_eg.read() as s:
        assert s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one().id == event.id


def test_notice_delivery_runs_as_a_job_and_a_failure_waits_for_its_retry(committed_eg: ExportGuard) -> None:
    w = world(committed_eg)
    permit = issued(committed_eg, w)
    with committed_eg.read() as s:
        s.get_one(Party, w.exporter_id).email = "licensing@wescam.example"
        s.commit()
    with committed_eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.SUSPEND, Act(reason="review", effective_date=date(2020, 10, 5))
        )
    email = InMemorySender(fail_next=1)
    _run(committed_eg, "deliver_notices", senders={"email": email})
    with committed_eg.read() as s:
        notice = s.scalars(select(Notice)).one()
    assert (notice.status, notice.attempts, email.sent) == ("pending", 1, [])
    assert isinstance(committed_eg.clock, FixedClock)
    committed_eg.clock.advance(minutes=2)  # past the first backoff
    _run(committed_eg, "deliver_notices", senders={"email": email})
    with committed_eg.read() as s:
        notice = s.scalars(select(Notice)).one()
    assert (notice.status, notice.attempts) == ("delivered", 2)
    assert [m.key for m in email.sent] == [notice.key]


def test_the_queue_lives_in_its_own_schema_on_postgresql(committed_eg: ExportGuard, backend: str) -> None:
    created = ensure_schema(committed_eg.engine)
    if backend == "sqlite":
        assert not created  # SQLite: the queue is in memory, in the serving process
        return
    assert not ensure_schema(committed_eg.engine)  # once only
    with committed_eg.engine.connect() as conn:
        tables = conn.scalars(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"), {"s": SCHEMA}
        ).all()
        public = conn.scalars(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        ).all()
    assert "procrastinate_jobs" in tables
    assert not [t for t in public if t.startswith("procrastinate")]


def test_the_export_roll_up_runs_as_a_job(committed_eg: ExportGuard) -> None:
    w = world(committed_eg)
    permit = issued(committed_eg, w)
    ship(committed_eg, w, permit.id, "CBSA-J1", date(2020, 6, 1))
    assert isinstance(committed_eg.clock, FixedClock)
    committed_eg.clock.advance(days=3)
    _run(committed_eg, "roll_up_exports", timestamp=0)
    with committed_eg.read() as s:
        seal = s.scalars(select(ExportRollupSeal)).one()
    assert seal.lines_added == 1
