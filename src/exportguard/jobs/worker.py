"""Running the jobs: a worker process of its own (PostgreSQL), or a task inside a web worker (SQLite)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import procrastinate

from exportguard.jobs.queue import ensure_schema
from exportguard.jobs.tasks import Schedule, job_app
from exportguard.services.system import ExportGuard

log = logging.getLogger(__name__)


def run_worker(system: ExportGuard, schedule: Schedule, *, concurrency: int = 1) -> None:
    """Run every queue's jobs and the schedules until SIGINT/SIGTERM (``exportguard worker``).

    Several workers may run at once: procrastinate hands each job to one of them, and a periodic
    job is deferred once per tick whichever worker defers it.
    """
    ensure_schema(system.engine)
    app = job_app(system, schedule=schedule)
    log.info("job worker starting", extra={"schedule": schedule.__dict__})
    app.run_worker(wait=True, concurrency=concurrency, name="exportguard-jobs")


@asynccontextmanager
async def jobs_in_process(app: procrastinate.App) -> AsyncIterator[procrastinate.App]:
    """The worker as a task of the running event loop (a web worker on SQLite), stopped on exit."""
    async with app.open_async():
        task = asyncio.create_task(
            app.run_worker_async(wait=True, install_signal_handlers=False, name="exportguard-in-process")
        )
        try:
            yield app
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def in_process_lifespan(system: ExportGuard, schedule: Schedule) -> Callable[[Any], Any]:
    """A FastAPI lifespan running the jobs inside the web worker while it serves."""

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        async with jobs_in_process(job_app(system, schedule=schedule)):
            yield

    return lifespan
