"""The accounts page: organisations, accounts and API tokens for administrators; an exporter's own
administrator invites and suspends people of its organisation. A one-time password or a token is
shown once, on the page that answers the form that made it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from exportguard.domain.access import Action, Actor, Role, may
from exportguard.domain.accounts import OrganisationKind, StatusCommand
from exportguard.domain.errors import DomainError, InvalidInput, Problem
from exportguard.i18n import _
from exportguard.services.accounts import administration, organisations, tokens
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.system import ExportGuard
from exportguard.web.auth import PageActor, System
from exportguard.web.errors import validation_problems
from exportguard.web.labels import label
from exportguard.web.pages.rendering import page

router = APIRouter()
Text = Annotated[str, Form(max_length=300)]


def _render(
    request: Request, system: ExportGuard, actor: Actor, status_code: int = 200, **context: Any
) -> Response:
    admin = may(actor.role, Action.MANAGE_ACCOUNTS)
    with system.read() as session:
        orgs = organisations.list_organisations(session, actor)
        accounts = administration.list_accounts(session, actor)
        issued = tokens.list_tokens(session, actor) if admin else []
    return page(
        request,
        "accounts.html",
        actor,
        status_code=status_code,
        orgs=orgs,
        accounts=accounts,
        tokens=issued,
        admin=admin,
        kinds=list(OrganisationKind),
        roles=[r for r in Role if r is not Role.PUBLIC],
        actions=sorted(a.value for a in Action),
        **context,
    )


def _act(
    request: Request, system: ExportGuard, actor: Actor, done: str, command: Callable[[UnitOfWork], Any]
) -> Response:
    """Run one command; show what it made (a secret once), or the problems beside the forms."""
    try:
        with system.uow(actor) as uow:
            result = command(uow)
    except ValidationError as exc:
        return _render(request, system, actor, 422, problems=validation_problems(exc.errors()))
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _render(request, system, actor, exc.status, problems=exc.problems or [Problem("", str(exc))])
    secret = getattr(result, "one_time_password", None) or getattr(result, "token", None)
    return _render(request, system, actor, done=done, secret=secret)


@router.get("/accounts")
def accounts_page(request: Request, system: System, actor: PageActor) -> Response:
    return _render(request, system, actor)


@router.post("/accounts/organisations")
def create_organisation(
    request: Request,
    system: System,
    actor: PageActor,
    *,
    kind: Text = "",
    name: Text = "",
    business_number: Text = "",
) -> Response:
    def command(uow: UnitOfWork) -> object:
        data = organisations.NewOrganisation.model_validate(
            {"kind": kind, "name": name, "business_number": business_number or None}
        )
        return organisations.create_organisation(uow, data)

    return _act(request, system, actor, _("Organisation %(name)s created.", name=name), command)


@router.post("/accounts/new")
def create_account(
    request: Request,
    system: System,
    actor: PageActor,
    *,
    username: Text = "",
    display_name: Text = "",
    role: Text = "",
    organisation_id: Text = "",
    email: Text = "",
    organisation_admin: Text = "",
) -> Response:
    def command(uow: UnitOfWork) -> object:
        data = administration.NewAccount.model_validate(
            {
                "username": username,
                "display_name": display_name,
                "role": role,
                "organisation_id": organisation_id,
                "email": email,
                "organisation_admin": bool(organisation_admin),
            }
        )
        return administration.create_account(uow, data)

    return _act(
        request,
        system,
        actor,
        _("Account %(username)s created. Its one-time password:", username=username),
        command,
    )


@router.post("/accounts/invite")
def invite(
    request: Request,
    system: System,
    actor: PageActor,
    *,
    username: Text = "",
    display_name: Text = "",
    email: Text = "",
) -> Response:
    def command(uow: UnitOfWork) -> object:
        data = administration.Invitation.model_validate(
            {"username": username, "display_name": display_name, "email": email}
        )
        return administration.invite_user(uow, data)

    return _act(
        request,
        system,
        actor,
        _("%(username)s invited. Their one-time password:", username=username),
        command,
    )


@router.post("/accounts/{account_id}/{command}")
def change_account(
    request: Request,
    system: System,
    actor: PageActor,
    *,
    account_id: int,
    command: StatusCommand,
    reason: Text = "",
) -> Response:
    def act(uow: UnitOfWork) -> object:
        return administration.change_account_status(uow, account_id, command, reason or "(no reason given)")

    return _act(
        request,
        system,
        actor,
        _("Account %(id)s: %(command)s done.", id=account_id, command=label(command.value)),
        act,
    )


@router.post("/tokens/new")
def create_token(
    request: Request,
    system: System,
    actor: PageActor,
    *,
    account_id: Text = "",
    name: Text = "",
    scopes: Annotated[list[str] | None, Form()] = None,
    expires_in_days: Text = "90",
) -> Response:
    def command(uow: UnitOfWork) -> object:
        data = tokens.NewToken.model_validate(
            {"name": name, "scopes": scopes or [], "expires_in_days": expires_in_days or 90}
        )
        if not account_id.strip().isdigit():
            raise InvalidInput.of("account_id", "the account's id (a number)")
        return tokens.create_token(uow, int(account_id), data)

    return _act(request, system, actor, _("Token %(name)s issued. It is shown once:", name=name), command)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, system: System, actor: PageActor, *, token_id: int, reason: Text = ""
) -> Response:
    def command(uow: UnitOfWork) -> object:
        return tokens.revoke_token(uow, token_id, reason or "(no reason given)")

    return _act(
        request,
        system,
        actor,
        _("Token %(id)s revoked: it is refused from its next request.", id=token_id),
        command,
    )
