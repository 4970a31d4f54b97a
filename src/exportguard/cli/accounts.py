"""exportguard organisations | accounts | tokens: administering who signs in (administrators; an
exporter's own administrator invites people of the organisation)."""

from __future__ import annotations

from typing import Annotated

import typer

from exportguard.cli.output import Format, FormatOption, emit
from exportguard.cli.runtime import state
from exportguard.domain.access import Action, Role
from exportguard.domain.accounts import OrganisationKind, StatusCommand
from exportguard.services.accounts import administration, organisations, tokens

organisations_app = typer.Typer(help="Organisations whose people sign in.", no_args_is_help=True)
accounts_app = typer.Typer(help="Accounts: people and systems that sign in.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for systems (shown once, scoped, expiring).", no_args_is_help=True)

Reason = Annotated[str, typer.Option(help="Why (kept in the audit log)")]
ORG_COLUMNS = ("id", "kind", "name", "business_number", "status")
ACCOUNT_COLUMNS = (
    "id",
    "username",
    "role",
    "organisation_id",
    "status",
    "second_factor",
    "organisation_admin",
)
TOKEN_COLUMNS = ("id", "account", "name", "scopes", "expires_at", "revoked_at", "last_used_at")


@organisations_app.command("list")
def list_organisations(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    cli = state(ctx)
    actor = cli.reader()
    with cli.system().read() as session:
        emit(organisations.list_organisations(session, actor), fmt, ORG_COLUMNS, title="Organisations")


@organisations_app.command("create")
def create_organisation(
    ctx: typer.Context,
    *,
    kind: Annotated[OrganisationKind, typer.Option(help="exporter, department or customs")],
    name: Annotated[str, typer.Option(help="The organisation's name")],
    business_number: Annotated[str | None, typer.Option(help="CRA business number (exporters)")] = None,
    party_id: Annotated[int | None, typer.Option(help="Enrol this existing party instead")] = None,
) -> None:
    data = organisations.NewOrganisation(
        kind=kind, name=name, business_number=business_number, party_id=party_id
    )
    view = state(ctx).act(lambda uow: organisations.create_organisation(uow, data))
    emit([view], Format.TABLE, ORG_COLUMNS, title="Organisation created")


def _org_status(ctx: typer.Context, organisation_id: int, command: StatusCommand, reason: str) -> None:
    view = state(ctx).act(
        lambda uow: organisations.change_organisation_status(uow, organisation_id, command, reason)
    )
    emit([view], Format.TABLE, ORG_COLUMNS)


@organisations_app.command("suspend")
def suspend_organisation(ctx: typer.Context, organisation_id: int, reason: Reason) -> None:
    """Stop every sign-in, session and token of the organisation's people at once."""
    _org_status(ctx, organisation_id, StatusCommand.SUSPEND, reason)


@organisations_app.command("reenable")
def reenable_organisation(ctx: typer.Context, organisation_id: int, reason: Reason) -> None:
    _org_status(ctx, organisation_id, StatusCommand.REENABLE, reason)


@accounts_app.command("list")
def list_accounts(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    cli = state(ctx)
    actor = cli.reader()
    with cli.system().read() as session:
        emit(administration.list_accounts(session, actor), fmt, ACCOUNT_COLUMNS, title="Accounts")


def _created(created: administration.CreatedAccount) -> None:
    emit([created.account], Format.TABLE, ACCOUNT_COLUMNS, title="Account")
    typer.echo(f"one-time password (shown once; replaced at first sign-in): {created.one_time_password}")


@accounts_app.command("create")
def create_account(
    ctx: typer.Context,
    *,
    username: Annotated[str, typer.Option(help="e.g. officer.roy")],
    name: Annotated[str, typer.Option(help="Full name or what the account is for")],
    role: Annotated[
        Role,
        typer.Option(help="exporter, officer, director, minister, advisor, customs, auditor, administrator"),
    ],
    organisation: Annotated[int, typer.Option(help="The organisation's id")],
    email: Annotated[str, typer.Option(help="Where notices go")] = "",
    organisation_admin: Annotated[
        bool, typer.Option("--organisation-admin", help="May invite others (exporters)")
    ] = False,
) -> None:
    """Create an account with a one-time password (administrators)."""
    data = administration.NewAccount(
        username=username,
        display_name=name,
        role=role,
        organisation_id=organisation,
        email=email,
        organisation_admin=organisation_admin,
    )
    _created(state(ctx).act(lambda uow: administration.create_account(uow, data)))


@accounts_app.command("invite")
def invite(
    ctx: typer.Context,
    *,
    username: Annotated[str, typer.Option(help="e.g. jdoe.wescam")],
    name: Annotated[str, typer.Option(help="Full name")],
    email: Annotated[str, typer.Option(help="Where notices go")] = "",
    organisation_admin: Annotated[
        bool, typer.Option("--organisation-admin", help="May invite others")
    ] = False,
) -> None:
    """Invite a person of your organisation (an exporter's own administrator)."""
    data = administration.Invitation(
        username=username, display_name=name, email=email, organisation_admin=organisation_admin
    )
    _created(state(ctx).act(lambda uow: administration.invite_user(uow, data)))


def _account_status(ctx: typer.Context, account_id: int, command: StatusCommand, reason: str) -> None:
    view = state(ctx).act(lambda uow: administration.change_account_status(uow, account_id, command, reason))
    emit([view], Format.TABLE, ACCOUNT_COLUMNS)


@accounts_app.command("suspend")
def suspend_account(ctx: typer.Context, account_id: int, reason: Reason) -> None:
    """Suspend an account: its sessions end and its tokens stop at once."""
    _account_status(ctx, account_id, StatusCommand.SUSPEND, reason)


@accounts_app.command("reenable")
def reenable_account(ctx: typer.Context, account_id: int, reason: Reason) -> None:
    _account_status(ctx, account_id, StatusCommand.REENABLE, reason)


@accounts_app.command("reset")
def reset(
    ctx: typer.Context,
    account_id: int,
    reason: Reason,
    second_factor: Annotated[bool, typer.Option("--second-factor", help="Also a new authenticator")] = False,
) -> None:
    """A new one-time password (lifts a lockout, ends sessions); --second-factor: re-enrol too."""
    _created(
        state(ctx).act(
            lambda uow: administration.reset_credentials(uow, account_id, reason, second_factor=second_factor)
        )
    )


@tokens_app.command("list")
def list_tokens(
    ctx: typer.Context,
    account: Annotated[int | None, typer.Option(help="Only this account's tokens")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    cli = state(ctx)
    actor = cli.writer()
    with cli.system().read() as session:
        emit(tokens.list_tokens(session, actor, account), fmt, TOKEN_COLUMNS, title="API tokens")


@tokens_app.command("create")
def create_token(
    ctx: typer.Context,
    account_id: int,
    *,
    name: Annotated[str, typer.Option(help="What it is for, e.g. 'CBSA customs feed'")],
    scope: Annotated[list[Action], typer.Option(help="An action it may take (repeat the option)")],
    days: Annotated[int, typer.Option(help="Days until it expires", min=1, max=366)] = 90,
) -> None:
    """Issue an API token for an account; it is printed once and never shown again."""
    data = tokens.NewToken(name=name, scopes=scope, expires_in_days=days)
    issued = state(ctx).act(lambda uow: tokens.create_token(uow, account_id, data))
    emit([issued.details], Format.TABLE, TOKEN_COLUMNS, title="API token")
    typer.echo(f"token (shown once): {issued.token}")


@tokens_app.command("revoke")
def revoke_token(ctx: typer.Context, token_id: int, reason: Reason) -> None:
    """Revoke a token: it is refused on its next request."""
    view = state(ctx).act(lambda uow: tokens.revoke_token(uow, token_id, reason))
    emit([view], Format.TABLE, TOKEN_COLUMNS)
