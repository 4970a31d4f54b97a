"""exportguard operator ...: local administration of a database by whoever runs it (no account).

Explicitly separate from the commands that act as an account: it needs the database's address
(EXPORTGUARD_DATABASE_URL), not a sign-in, and it only prepares the database.
"""

from __future__ import annotations

from typing import Annotated

import typer

from exportguard.cli.runtime import state
from exportguard.services.accounts.operator import first_administrator
from exportguard.services.transparency import rollups

app = typer.Typer(
    help="Local administration of the database (operator mode, no account).", no_args_is_help=True
)


@app.command("migrate")
def migrate(ctx: typer.Context) -> None:
    """Create or upgrade the database and load the reference data (same as `db upgrade`)."""
    system = state(ctx).system()  # opening the system runs the migrations and loads the reference data
    typer.echo(f"database ready: {system.engine.url.render_as_string(hide_password=True)}")


@app.command("first-admin")
def first_admin(
    ctx: typer.Context,
    *,
    username: Annotated[str, typer.Option(help="The administrator's username, e.g. admin.roy")],
    name: Annotated[str, typer.Option(help="Their full name")],
    department: Annotated[
        str, typer.Option(help="Their department (created if new)")
    ] = "Global Affairs Canada, Export Controls Division",
) -> None:
    """Set up a new database's first administrator and print a one-time password (refused once an
    administrator exists). They sign in on the pages, choose a password and enrol an authenticator."""
    created = first_administrator(state(ctx).system(), username, name, department)
    typer.echo(
        f"administrator {created.account.username} created in organisation {created.account.organisation_id}"
    )
    typer.echo(f"one-time password (shown once; replaced at first sign-in): {created.one_time_password}")


@app.command("roll-up-exports")
def roll_up_exports(ctx: typer.Context) -> None:
    """Roll up the closed days' shipment lines for the reports now (the worker does it hourly).

    Derived figures only: it changes no record, and a report is the same with or without it."""
    system = state(ctx).system()
    with system.read() as session:
        done = rollups.roll_up(session, system.clock.now())
        session.commit()
    if done is None:
        typer.echo("nothing new to roll up")
        return
    typer.echo(
        f"{done.lines_added} shipment line(s) rolled up ({done.rows_written} row(s) written); "
        f"rolled up: everything recorded before {done.covers_before.isoformat()}"
    )
