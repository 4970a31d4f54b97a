"""The ``exportguard`` command: one sub-app per noun, ``exportguard NOUN VERB [OPTIONS]``."""

from __future__ import annotations

from typing import Annotated

import typer

from exportguard.cli import (
    applications,
    assurances,
    audit,
    authorisations,
    investigations,
    notices,
    operations,
    permits,
    policies,
    reference,
    reports,
    screening,
    setup,
    shipments,
)
from exportguard.cli.runtime import CliState, ExportGuardGroup

app = typer.Typer(
    cls=ExportGuardGroup,
    name="exportguard",
    help="ExportGuard: an export-control regime's permits, applications, policies and audit.\n\n"
    "The database is EXPORTGUARD_DATABASE_URL (default: SQLite under ./var/).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    as_username: Annotated[
        str | None,
        typer.Option(
            "--as",
            envvar="EXPORTGUARD_AS",
            metavar="USERNAME",
            help="The principal to act as (its role decides what is allowed). Commands that change "
            "records require it; read commands without it act as the built-in local operator, "
            "who has the auditor role.",
        ),
    ] = None,
) -> None:
    cli = CliState(as_username)
    ctx.obj = cli
    ctx.call_on_close(cli.close)


# One line per noun, so that other nouns register without touching the rest.
app.add_typer(permits.app, name="permits")
app.add_typer(applications.app, name="applications")
app.add_typer(reference.parties_app, name="parties")
app.add_typer(reference.products_app, name="products")
app.add_typer(reference.control_list_app, name="control-list")
policies.register(reference.policies_app)
app.add_typer(reference.policies_app, name="policies")
app.add_typer(notices.app, name="notices")
app.add_typer(audit.app, name="audit")
app.add_typer(shipments.app, name="shipments")
app.add_typer(authorisations.app, name="authorisations")
app.add_typer(setup.db_app, name="db")
app.command("demo")(setup.demo)
setup.db_app.command("backup")(operations.db_backup)
setup.db_app.command("restore")(operations.db_restore)
app.command("serve")(operations.serve)
app.command("worker")(operations.worker)
app.add_typer(screening.lists_app, name="lists")
app.command("screen")(screening.screen)
app.add_typer(investigations.allegations_app, name="allegations")
app.add_typer(investigations.investigations_app, name="investigations")
app.add_typer(assurances.assurances_app, name="assurances")
app.add_typer(assurances.lobbying_app, name="lobbying")
app.add_typer(reports.app, name="reports")


def run() -> None:
    """The console-script entry point (pyproject: exportguard = exportguard.cli.main:run)."""
    app()
