"""The ``exportguard`` command: one sub-app per noun, ``exportguard NOUN VERB [OPTIONS]``."""

from __future__ import annotations

from typing import Annotated

import typer

from exportguard.cli.lazy import Lazy, LazyGroup, extended_by
from exportguard.cli.runtime import CliState


class ExportGuardCommands(LazyGroup):
    # One line per command or noun, imported only when it runs (cli/lazy.py), so that other
    # nouns register without touching the rest and `exportguard --help` answers at once.
    lazy = (
        Lazy("demo", "exportguard.cli.setup", "demo"),
        Lazy("serve", "exportguard.cli.operations", "serve"),
        Lazy("worker", "exportguard.cli.operations", "worker"),
        Lazy("screen", "exportguard.cli.screening", "screen"),
        Lazy("permits", "exportguard.cli.permits", "app"),
        Lazy("applications", "exportguard.cli.applications", "app"),
        Lazy("parties", "exportguard.cli.reference", "parties_app"),
        Lazy("products", "exportguard.cli.reference", "products_app"),
        Lazy("control-list", "exportguard.cli.reference", "control_list_app"),
        Lazy(
            "policies",
            "exportguard.cli.reference",
            "policies_app",
            extend=extended_by("exportguard.cli.policies", "register"),
        ),
        Lazy("notices", "exportguard.cli.notices", "app"),
        Lazy("audit", "exportguard.cli.audit", "app"),
        Lazy("shipments", "exportguard.cli.shipments", "app"),
        Lazy("authorisations", "exportguard.cli.authorisations", "app"),
        Lazy(
            "db",
            "exportguard.cli.setup",
            "db_app",
            extend=extended_by("exportguard.cli.operations", "register"),
        ),
        Lazy("lists", "exportguard.cli.screening", "lists_app"),
        Lazy("allegations", "exportguard.cli.investigations", "allegations_app"),
        Lazy("investigations", "exportguard.cli.investigations", "investigations_app"),
        Lazy("assurances", "exportguard.cli.assurances", "assurances_app"),
        Lazy("verification", "exportguard.cli.assurances", "verification_app"),
        Lazy("lobbying", "exportguard.cli.assurances", "lobbying_app"),
        Lazy("reports", "exportguard.cli.reports", "app"),
        Lazy("login", "exportguard.cli.signing_in", "login"),
        Lazy("logout", "exportguard.cli.signing_in", "logout"),
        Lazy("whoami", "exportguard.cli.signing_in", "whoami"),
        Lazy("organisations", "exportguard.cli.accounts", "organisations_app"),
        Lazy("accounts", "exportguard.cli.accounts", "accounts_app"),
        Lazy("tokens", "exportguard.cli.accounts", "tokens_app"),
        Lazy("operator", "exportguard.cli.operator", "app"),
        Lazy("demo-code", "exportguard.cli.setup", "demo_code"),
    )


app = typer.Typer(
    cls=ExportGuardCommands,
    name="exportguard",
    help="ExportGuard: an export-control regime's permits, applications, policies and audit.\n\n"
    "The database is EXPORTGUARD_DATABASE_URL (default: SQLite under ./var/). Commands that change "
    "records act with a credential: `exportguard login USERNAME`, or an API token in EXPORTGUARD_TOKEN. "
    "Read commands without one act as the built-in local operator (the auditor role: reads, never changes).",
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
            help="Which of your `exportguard login` sign-ins to act with (default: the latest). "
            "It names a stored session; it never acts as anyone without their credential.",
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="EXPORTGUARD_TOKEN",
            metavar="TOKEN",
            help="Act with this API token (its account's role, within the token's scopes).",
            show_default=False,
        ),
    ] = None,
) -> None:
    cli = CliState(as_username, token or None)
    ctx.obj = cli
    ctx.call_on_close(cli.close)


def run() -> None:
    """The console-script entry point (pyproject: exportguard = exportguard.cli.main:run)."""
    app()
