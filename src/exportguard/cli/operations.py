"""exportguard serve | worker | db backup | db restore: running ExportGuard in production.

These are the operator's commands: they act on the database itself (its URL is the credential),
not as a principal of the regime, and record no audit event of their own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from exportguard import logs
from exportguard.cli.runtime import state
from exportguard.db.backup import backup, restore
from exportguard.jobs.queue import ensure_schema
from exportguard.jobs.tasks import Schedule
from exportguard.jobs.worker import run_worker


def serve(
    ctx: typer.Context,
    *,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Web worker processes", min=1, max=64)] = 1,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="Trust X-Forwarded-For/-Proto from --forwarded-allow-ips (behind a load balancer)",
        ),
    ] = True,
    forwarded_allow_ips: Annotated[
        str, typer.Option(help="Comma-separated addresses of the proxies trusted (or '*')")
    ] = "127.0.0.1",
    jobs: Annotated[
        bool | None,
        typer.Option(
            "--jobs/--no-jobs",
            help="Run the scheduled jobs inside the web workers (default: on with SQLite; with "
            "PostgreSQL run 'exportguard worker' instead)",
        ),
    ] = None,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error")] = "info",
    access_log: Annotated[bool, typer.Option("--access-log/--no-access-log")] = True,
) -> None:
    """Serve the web pages and API (uvicorn) on the configured database, migrated first.

    Web workers keep no state of their own: run as many as the machine has cores, behind a load
    balancer that sends traffic where GET /ready answers 200. Logs are JSON lines with request ids.
    """
    import uvicorn  # noqa: PLC0415 - only serving needs the web server

    system = state(ctx).system()  # migrates the database once, before any worker starts
    ensure_schema(system.engine)
    postgres = system.engine.dialect.name == "postgresql"
    in_process = (not postgres) if jobs is None else jobs
    os.environ["EXPORTGUARD_DATABASE_URL"] = system.engine.url.render_as_string(hide_password=False)
    os.environ["EXPORTGUARD_IN_PROCESS_JOBS"] = "1" if in_process else "0"
    system.engine.dispose()
    typer.echo(
        f"serving {system.engine.url.render_as_string(hide_password=True)} on http://{host}:{port}/ "
        f"with {workers} worker(s); jobs {'in process' if in_process else 'by exportguard worker'}",
        err=True,
    )
    uvicorn.run(
        "exportguard.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
        log_config=logs.uvicorn_log_config(log_level, access=access_log),
        access_log=False,  # our own access line carries the request id
        # No server banner (issue 10, OWASP ASVS 14.3.3): the name and version of the web server
        # help an attacker choose an exploit and tell a user nothing. The Date header stays: HTTP
        # (RFC 9110 s.6.6.1) asks an origin server with a clock to send it, and caches rely on it.
        server_header=False,
        timeout_graceful_shutdown=20,
        # A worker that is still importing on a busy machine is not dead: give it time to start.
        timeout_worker_healthcheck=30,
    )


def worker(
    ctx: typer.Context,
    *,
    concurrency: Annotated[int, typer.Option(help="Jobs run at once by this worker", min=1, max=32)] = 1,
    log_level: Annotated[str, typer.Option(help="debug, info, warning or error")] = "info",
) -> None:
    """Run the job queue's worker: the expiry sweep, notice delivery and list downloads on their
    schedules (EXPORTGUARD_*_CRON) and any queued job, until stopped (SIGINT/SIGTERM)."""
    system = state(ctx).system()
    logs.configure(log_level)
    run_worker(system, Schedule.from_env(), concurrency=concurrency)


def db_backup(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The backup file to write (replaced if present)")],
) -> None:
    """Back the database up to one file (pg_dump custom format on PostgreSQL; SQLite's backup API)."""
    report = backup(state(ctx).system_unmigrated().engine, path)
    typer.echo(f"backup written: {report.path} ({report.size:,} bytes, {report.kind})")


def db_restore(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A file written by 'exportguard db backup'")],
    *,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a database that already holds data")
    ] = False,
) -> None:
    """Restore a backup into the configured database (empty unless --replace), all or nothing.

    Run 'exportguard audit verify' afterwards: the restored audit log must verify."""
    engine = state(ctx).system_unmigrated().engine
    restore(engine, path, replace=replace)
    typer.echo(f"restored {path} into {engine.url.render_as_string(hide_password=True)}")


def register(db_app: typer.Typer) -> None:
    """Add backup and restore to ``exportguard db`` (whose ``upgrade`` lives in cli/setup.py)."""
    db_app.command("backup")(db_backup)
    db_app.command("restore")(db_restore)
