"""Accounts: organisations, accounts and API tokens (administrators; an exporter's own
administrator invites and suspends people of its organisation). Secrets appear once, in the answer
that created them."""

from __future__ import annotations

from fastapi import APIRouter, status

from exportguard.domain.accounts import StatusCommand
from exportguard.services.accounts import administration, organisations, tokens
from exportguard.services.kernel.common import Input, NonEmpty
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System

router = APIRouter(tags=["accounts"])


class Reason(Input):
    reason: NonEmpty


class Reset(Reason):
    second_factor: bool = False


@router.get("/organisations", response_model=list[organisations.OrganisationView])
def list_organisations(system: System, actor: ApiActor) -> list[organisations.OrganisationView]:
    with system.read() as session:
        return organisations.list_organisations(session, actor)


@router.post(
    "/organisations", response_model=organisations.OrganisationView, status_code=status.HTTP_201_CREATED
)
def create_organisation(
    system: System, actor: ApiActor, body: organisations.NewOrganisation
) -> organisations.OrganisationView:
    return run(system, actor, organisations.create_organisation, body)


@router.post("/organisations/{organisation_id}/{command}", response_model=organisations.OrganisationView)
def change_organisation(
    system: System, actor: ApiActor, organisation_id: int, command: StatusCommand, body: Reason
) -> organisations.OrganisationView:
    """``suspend`` stops every sign-in, session and token of its people at once; ``reenable``."""
    return run(system, actor, organisations.change_organisation_status, organisation_id, command, body.reason)


@router.get("/accounts", response_model=list[administration.AccountView])
def list_accounts(system: System, actor: ApiActor) -> list[administration.AccountView]:
    with system.read() as session:
        return administration.list_accounts(session, actor)


@router.post("/accounts", response_model=administration.CreatedAccount, status_code=status.HTTP_201_CREATED)
def create_account(
    system: System, actor: ApiActor, body: administration.NewAccount
) -> administration.CreatedAccount:
    return run(system, actor, administration.create_account, body)


@router.post(
    "/accounts/invite", response_model=administration.CreatedAccount, status_code=status.HTTP_201_CREATED
)
def invite(system: System, actor: ApiActor, body: administration.Invitation) -> administration.CreatedAccount:
    return run(system, actor, administration.invite_user, body)


@router.post("/accounts/{account_id}/reset", response_model=administration.CreatedAccount)
def reset(system: System, actor: ApiActor, account_id: int, body: Reset) -> administration.CreatedAccount:
    """A new one-time password (a lockout lifted, sessions ended); ``second_factor``: re-enrol too."""
    return run(
        system,
        actor,
        administration.reset_credentials,
        account_id,
        body.reason,
        second_factor=body.second_factor,
    )


@router.post("/accounts/{account_id}/{command}", response_model=administration.AccountView)
def change_account(
    system: System, actor: ApiActor, account_id: int, command: StatusCommand, body: Reason
) -> administration.AccountView:
    return run(system, actor, administration.change_account_status, account_id, command, body.reason)


@router.get("/tokens", response_model=list[tokens.TokenView])
def list_tokens(system: System, actor: ApiActor, account: int | None = None) -> list[tokens.TokenView]:
    with system.read() as session:
        return tokens.list_tokens(session, actor, account)


@router.post(
    "/accounts/{account_id}/tokens", response_model=tokens.IssuedToken, status_code=status.HTTP_201_CREATED
)
def create_token(
    system: System, actor: ApiActor, account_id: int, body: tokens.NewToken
) -> tokens.IssuedToken:
    return run(system, actor, tokens.create_token, account_id, body)


@router.post("/tokens/{token_id}/revoke", response_model=tokens.TokenView)
def revoke_token(system: System, actor: ApiActor, token_id: int, body: Reason) -> tokens.TokenView:
    """Refused on its next request, in every server process."""
    return run(system, actor, tokens.revoke_token, token_id, body.reason)
