"""exportguard operator ...: local administration of a database by whoever runs it (no account).

Explicitly separate from the commands that act as an account: it needs the database's address
(EXPORTGUARD_DATABASE_URL), not a sign-in, and it only prepares the database.
"""

from __future__ import annotations

from typing import Annotated

import typer

from exportguard.cli.runtime import state
from exportguard.services.accounts.operator import first_administrator

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
