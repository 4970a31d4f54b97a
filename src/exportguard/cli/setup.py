"""exportguard db upgrade | demo: create the database, load the reference case, serve it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from exportguard.adapters.clock import ShiftedClock
from exportguard.cli.runtime import date_option, day, state
from exportguard.demo import sandbox
from exportguard.demo.loader import load_case
from exportguard.demo.replay import DEMO_PASSWORD, demo_totp_secret
from exportguard.jobs.queue import ensure_schema
from exportguard.services.accounts import credentials
from exportguard.services.reference import control_list as reference
from exportguard.services.system import ExportGuard

ONE_DAY = timedelta(days=1)
db_app = typer.Typer(help="The database.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create or upgrade the database (EXPORTGUARD_DATABASE_URL, default SQLite under ./var/) and
    load the reference data (countries, Export Control List); on PostgreSQL also the job queue's
    schema."""
    system = state(ctx).system()  # opening the system runs the migrations
    with system.read() as session:
        reference.sync_reference_data(session)
    ensure_schema(system.engine)
    typer.echo(f"database ready: {system.engine.url.render_as_string(hide_password=True)}")


def demo(
    ctx: typer.Context,
    *,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the web pages and API after loading")
    ] = True,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on", min=1, max=65535)] = 8000,
    until: Annotated[
        datetime | None,
        date_option(
            "Load the case as it stood at the end of this day (e.g. 2020-10-04), leaving the later acts "
            "for you to perform; the site's today is then the next day. Use a database of its own."
        ),
    ] = None,
) -> None:
    """Create or upgrade the database, load the 2019-2021 Turkey case (idempotent), print the demo
    principals' tokens, and serve the web pages and API (--no-serve only loads)."""
    system = state(ctx).system()
    last = day(until)
    if last is not None:
        later = sandbox.events_after(system, last)
        if later:
            typer.echo(
                f"warning: the database already records {later} event(s) effective after {last}: "
                "it is not the case as it stood then (point EXPORTGUARD_DATABASE_URL at a new database)",
                err=True,
            )
    report = load_case(system, until=last)
    typer.echo(f"case {report.case}: {report.steps_run} steps loaded, {report.steps_skipped} already present")
    if last is not None:
        typer.echo(
            f"as it stood on {last}: {report.steps_later} later steps left for you "
            f"(the 5 Oct 2020 suspension, the border's refusals, the April 2021 cancellation...)"
        )
        system = ExportGuard(system.engine, system.session_factory, ShiftedClock.starting_on(last + ONE_DAY))
    typer.echo(f"database: {system.engine.url.render_as_string(hide_password=True)}")
    typer.echo(
        f"demo accounts (demo mode: fixed credentials, not secrets); password for all: {DEMO_PASSWORD}"
    )
    typer.echo(
        "  officials' authenticator key is shown; `exportguard demo-code USERNAME` prints the current code"
    )
    for p in report.principals:
        key = f"  authenticator key {p.totp_secret}" if p.totp_secret else ""
        typer.echo(f"  {p.username:<20} {p.role:<13} API token {p.token}{key}")
    if not serve:
        return
    import uvicorn  # noqa: PLC0415 - only the serving demo needs the web stack

    from exportguard.web.app import create_app  # noqa: PLC0415 - the web layer is built on demand

    if last is not None:
        typer.echo(f"the site's today is {system.clock.today()}, and time runs on from there")
    typer.echo(f"serving on http://{host}:{port}/ (API docs at http://{host}:{port}/docs); Ctrl+C stops")
    uvicorn.run(create_app(system), host=host, port=port, server_header=False)


def demo_code(
    username: Annotated[str, typer.Argument(help="A demo official, e.g. minister.champagne")],
) -> None:
    """The current authenticator code of a demo account (demo mode: its key is derived from its name;
    it works only where the demo created the account)."""
    typer.echo(credentials.totp_now(demo_totp_secret(username), datetime.now(UTC)))
