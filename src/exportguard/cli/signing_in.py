"""exportguard login | logout | whoami: a session of a real account for the commands that follow."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from exportguard.cli import credentials_file
from exportguard.cli.runtime import state
from exportguard.domain.errors import NotAuthenticated, Problem
from exportguard.services.accounts import credentials
from exportguard.services.accounts.sessions import change_password, enrol_second_factor, resolve
from exportguard.services.accounts.sign_in import Outcome, second_factor, sign_in, sign_out
from exportguard.services.system import ExportGuard


def login(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Your username")],
    *,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (scripts)")
    ] = False,
    code: Annotated[
        str | None, typer.Option(help="The authenticator code (asked for when needed if not given)")
    ] = None,
) -> None:
    """Sign in (password, then an authenticator code for officials); the session is kept in the
    credentials file for the next commands, and ends like a web session (idle and absolute expiry)."""
    cli = state(ctx)
    system = cli.system()
    password = (
        sys.stdin.readline().rstrip("\n") if password_stdin else typer.prompt("Password", hide_input=True)
    )
    database = cli.database_url()
    result = sign_in(
        system,
        username,
        password,
        channel="cli",
        replaces=credentials_file.stored_session(database, username),
    )
    if result.outcome is Outcome.SECOND_FACTOR and result.session_id:
        given = code or typer.prompt("Authenticator code")
        result = second_factor(system, result.session_id, given)
    if result.outcome is Outcome.LOCKED:
        raise NotAuthenticated(
            "the account is locked after repeated failures",
            [Problem("username", f"locked until {result.locked_until}")],
        )
    if result.outcome is not Outcome.SIGNED_IN or result.session_id is None:
        raise NotAuthenticated("the username, password or code is wrong", [Problem("password", "refused")])
    credentials_file.store_session(database, username, result.session_id)
    _first_steps(system, result.session_id, password)
    typer.echo(f"signed in as {username}")


def _first_steps(system: ExportGuard, session_id: str, password: str) -> None:
    """A new account's steps, as on the pages: a password of its own, then (officials) an
    authenticator and its recovery codes."""
    live = resolve(system, session_id)
    if live is not None and live.pending == "password":
        typer.echo("first sign-in: replace the one-time password (at least 12 characters)")
        new = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
        change_password(system, session_id, password, new)
        live = resolve(system, session_id)
    if live is not None and live.pending == "enrol":
        secret = credentials.new_totp_secret()
        typer.echo("officials sign in with an authenticator code: add this key to your authenticator app")
        typer.echo(f"  key: {secret}")
        typer.echo(f"  address: {credentials.provisioning_uri(secret, live.actor.principal)}")
        codes = enrol_second_factor(system, session_id, secret, typer.prompt("Code from the app"))
        typer.echo("recovery codes (each works once instead of a code; shown only now):")
        for code in codes:
            typer.echo(f"  {code}")


def logout(ctx: typer.Context) -> None:
    """End the stored session (--as names which; default the latest) and forget it."""
    cli = state(ctx)
    session_id = credentials_file.forget_session(cli.database_url(), cli.as_username)
    if session_id is None:
        typer.echo("not signed in")
        return
    sign_out(cli.system(), session_id)
    typer.echo("signed out")


def whoami(ctx: typer.Context) -> None:
    """The account the next command acts as (or the read-only local operator without a credential)."""
    actor = state(ctx).reader()
    typer.echo(f"{actor.principal} ({actor.role.value})")
