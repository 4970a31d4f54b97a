"""The jobs: what runs on a schedule or from the queue, each a named command as the scheduler.

| job | when | does |
|---|---|---|
| expire_permits | EXPORTGUARD_EXPIRY_SWEEP_CRON (hourly) | the idempotent expiry sweep (EIPA s.12(a)) |
| deliver_notices | EXPORTGUARD_NOTICE_DELIVERY_CRON (each minute) | drains the notice outbox |
| seal_audit_log | EXPORTGUARD_SEAL_CRON (each minute) | seals new audit events, publishes a checkpoint |
| download_list | EXPORTGUARD_LIST_DOWNLOAD_CRON (daily), each of EXPORTGUARD_LIST_DOWNLOADS | imports it |
| roll_up_exports | EXPORTGUARD_ROLLUP_CRON (hourly) | rolls up closed days' shipment lines for the reports |

A list import re-screens the parties of pending work against what changed in the same transaction
(services/screening.py), so a snapshot is never committed without its re-screening.

A failed job is retried by the queue with exponential backoff; notices also keep their own
per-notice backoff in the outbox (services/notices.py), so a holder's server being down delays
only that holder's notices.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass

import procrastinate

from exportguard.adapters.notifications import NoticeSender, SmtpEmailSender, WebhookSender
from exportguard.adapters.sanctions_lists.publishers import PUBLISHERS, Fetcher, HttpFetcher
from exportguard.domain.access import Actor, Role
from exportguard.jobs.queue import connector_for
from exportguard.services.kernel import ledger
from exportguard.services.permits import commands as permits
from exportguard.services.permits import notices
from exportguard.services.screening import list_downloads
from exportguard.services.system import ExportGuard
from exportguard.services.transparency import rollups
from exportguard.settings import Settings

# The principal scheduled acts are recorded under (an officer's powers: EXPIRE_PERMITS, IMPORT_LIST).
SCHEDULER = Actor("scheduler", Role.OFFICER)
log = logging.getLogger(__name__)
RETRY = procrastinate.RetryStrategy(max_attempts=5, exponential_wait=4)


@dataclass(frozen=True)
class Schedule:
    expiry_sweep: str = "0 * * * *"
    notice_delivery: str = "* * * * *"
    list_download: str = "30 3 * * *"
    lists: tuple[str, ...] = ()
    # The audit log's maximum merge delay: events are sealed and signed within about a minute.
    seal: str = "* * * * *"
    # The report's export roll-up: a closed day is rolled up within the hour after its grace day.
    roll_up: str = "15 * * * *"

    @classmethod
    def from_env(cls) -> Schedule:
        env = os.environ
        lists = tuple(s.strip() for s in env.get("EXPORTGUARD_LIST_DOWNLOADS", "").split(",") if s.strip())
        unknown = [s for s in lists if s not in PUBLISHERS]
        if unknown:
            raise ValueError(f"EXPORTGUARD_LIST_DOWNLOADS: unknown list(s) {', '.join(unknown)}")
        return cls(
            env.get("EXPORTGUARD_EXPIRY_SWEEP_CRON", cls.expiry_sweep),
            env.get("EXPORTGUARD_NOTICE_DELIVERY_CRON", cls.notice_delivery),
            env.get("EXPORTGUARD_LIST_DOWNLOAD_CRON", cls.list_download),
            lists,
            env.get("EXPORTGUARD_SEAL_CRON", cls.seal),
            env.get("EXPORTGUARD_ROLLUP_CRON", cls.roll_up),
        )


def senders_from_env() -> dict[str, NoticeSender]:
    """SMTP for email (EXPORTGUARD_SMTP_HOST/PORT/FROM, as ``exportguard notices deliver``); webhooks."""
    return {
        "email": SmtpEmailSender(
            os.environ.get("EXPORTGUARD_SMTP_HOST", "localhost"),
            int(os.environ.get("EXPORTGUARD_SMTP_PORT", "25")),
            sender=os.environ.get("EXPORTGUARD_SMTP_FROM", "export-controls@example.invalid"),
        ),
        "webhook": WebhookSender(),
    }


def job_app(
    system: ExportGuard,
    *,
    schedule: Schedule | None = None,
    senders: Mapping[str, NoticeSender] | None = None,
    fetcher: Fetcher | None = None,
    sealer: ledger.Ledger | None = None,
) -> procrastinate.App:
    """The queue and its jobs for ``system`` (built by a factory: nothing is made at import)."""
    schedule = schedule or Schedule()
    chosen_senders = senders if senders is not None else senders_from_env()
    chosen_fetcher = fetcher or HttpFetcher()
    chosen_sealer = sealer or ledger.Ledger.from_settings(Settings.from_env())
    app = procrastinate.App(connector=connector_for(system.engine))

    @app.periodic(cron=schedule.expiry_sweep)
    @app.task(name="expire_permits", queue="sweeps", retry=RETRY, queueing_lock="expire_permits")
    def expire_permits(timestamp: int) -> int:
        with system.uow(SCHEDULER) as uow:
            expired = permits.expire_due_permits(uow)
        log.info("expiry sweep: %d permit(s) expired", len(expired), extra={"job": "expire_permits"})
        return len(expired)

    @app.periodic(cron=schedule.notice_delivery)
    @app.task(name="deliver_notices", queue="notices", retry=RETRY, queueing_lock="deliver_notices")
    def deliver_notices(timestamp: int | None = None) -> dict[str, int]:
        report = notices.deliver_due(system, SCHEDULER, chosen_senders)
        log.info("notice delivery: %s", report.model_dump(), extra={"job": "deliver_notices"})
        return report.model_dump()

    @app.periodic(cron=schedule.seal)
    @app.task(name="seal_audit_log", queue="ledger", retry=RETRY, queueing_lock="seal_audit_log")
    def seal_audit_log(timestamp: int | None = None) -> int:
        with system.read() as session:
            made = ledger.seal(session, chosen_sealer, system.clock.now())
        if made is not None:
            log.info("audit log sealed: %d events", made.size, extra={"job": "seal_audit_log"})
        return made.size if made else 0

    @app.periodic(cron=schedule.roll_up)
    @app.task(name="roll_up_exports", queue="reports", retry=RETRY, queueing_lock="roll_up_exports")
    def roll_up_exports(timestamp: int | None = None) -> int:
        with system.read() as session:
            done = rollups.roll_up(session, system.clock.now())
            session.commit()
        if done is not None:
            log.info(
                "exports rolled up: %d line(s) up to %s",
                done.lines_added,
                done.covers_before.isoformat(),
                extra={"job": "roll_up_exports"},
            )
        return done.lines_added if done else 0

    @app.task(name="download_list", queue="lists", retry=RETRY)
    def download_list(source: str) -> int:
        with system.uow(SCHEDULER) as uow:
            view = list_downloads.download_list(uow, source, chosen_fetcher)
        log.info(
            "list %s: snapshot %d (%s)",
            source,
            view.snapshot_id,
            "new" if view.created else "unchanged",
            extra={"job": "download_list"},
        )
        return view.snapshot_id

    for source in schedule.lists:

        @app.periodic(cron=schedule.list_download, periodic_id=source)
        @app.task(name=f"download_list_{source}", queue="lists", retry=RETRY)
        def download_scheduled(timestamp: int, source: str = source) -> int:
            return int(download_list(source))

    return app
