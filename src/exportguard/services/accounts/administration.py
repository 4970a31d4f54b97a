"""Accounts, by administrators (create, suspend, re-enable, reset) and by an exporter's own
administrator (invite people of the organisation). Every change is audited in its unit of work.

A new account gets a one-time password, shown once to whoever created it, replaced at first sign-in;
officials then enrol a second factor before anything else (web/pages/account.py).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exportguard.db.models import Principal, RecoveryCode, SignInSession
from exportguard.domain.access import Action, Actor, Role, require
from exportguard.domain.accounts import OrganisationKind, Status, StatusCommand, check_role_fits, next_status
from exportguard.domain.audit import AuditCommand
from exportguard.domain.errors import Conflict, NotFound, NotPermitted, Problem
from exportguard.services.accounts import credentials, events
from exportguard.services.accounts.organisations import organisation_kind
from exportguard.services.accounts.visibility import visible_accounts
from exportguard.services.kernel.common import Input, NonEmpty, View
from exportguard.services.kernel.unit_of_work import UnitOfWork

USERNAME = r"^[a-z0-9][a-z0-9._-]{2,79}$"


class Invitation(Input):
    username: str = Field(pattern=USERNAME, description="lower-case letters, digits, '.', '_' or '-'")
    display_name: NonEmpty = Field(max_length=200)
    email: str = Field(default="", max_length=200)
    organisation_admin: bool = Field(default=False, description="May invite others of the organisation")


class NewAccount(Invitation):
    role: Role
    organisation_id: int


class AccountView(View):
    id: int
    username: str
    display_name: str
    role: str
    organisation_id: int | None
    email: str
    status: str
    organisation_admin: bool
    second_factor: bool
    locked_until: datetime | None
    created_at: datetime | None


class CreatedAccount(View):
    """The one-time password is in this answer only: pass it on to the person, by hand or mail."""

    account: AccountView
    one_time_password: str


def account_view(p: Principal) -> AccountView:
    return AccountView(
        id=p.id,
        username=p.username,
        display_name=p.display_name,
        role=p.role,
        organisation_id=p.organisation_id,
        email=p.email,
        status=p.status,
        organisation_admin=p.organisation_admin,
        second_factor=p.totp_secret is not None,
        locked_until=p.locked_until,
        created_at=p.created_at,
    )


def _audit(
    uow: UnitOfWork, command: AuditCommand, p: Principal, reason: str, before: AccountView | None
) -> None:
    after = account_view(p).model_dump(mode="json")
    previous = None if before is None else before.model_dump(mode="json")
    events.record(uow, command, ("account", p.id, p.username), reason, before=previous, after=after)


def _add_account(
    uow: UnitOfWork, data: Invitation, role: Role, organisation_id: int
) -> tuple[Principal, str]:
    check_role_fits(organisation_kind(uow.session, organisation_id), role)
    if uow.session.scalar(select(Principal.id).where(Principal.username == data.username)):
        raise Conflict(f"account {data.username} exists", [Problem("username", "already taken")])
    password = credentials.one_time_password()
    account = Principal(
        username=data.username,
        display_name=data.display_name,
        role=role.value,
        organisation_id=organisation_id,
        email=data.email,
        status=Status.ACTIVE.value,
        organisation_admin=data.organisation_admin,
        password_hash=credentials.hash_password(password),
        password_must_change=True,
        failed_sign_ins=0,
        created_at=uow.clock.now(),
    )
    uow.session.add(account)
    uow.session.flush()
    return account, password


def create_account(uow: UnitOfWork, data: NewAccount) -> CreatedAccount:
    uow.require(Action.MANAGE_ACCOUNTS)
    if data.organisation_admin and organisation_kind(uow.session, data.organisation_id) is not (
        OrganisationKind.EXPORTER
    ):
        raise NotPermitted("only an exporter has its own administrators", [Problem("organisation_admin", "")])
    account, password = _add_account(uow, data, data.role, data.organisation_id)
    _audit(uow, AuditCommand.CREATE_ACCOUNT, account, "account created", None)
    uow.commit()
    return CreatedAccount(account=account_view(account), one_time_password=password)


def _own_administrator(uow: UnitOfWork) -> Principal:
    """The acting exporter's account, if it is its organisation's administrator."""
    me = uow.session.scalar(select(Principal).where(Principal.username == uow.actor.principal))
    if me is None or not me.organisation_admin or me.organisation_id is None:
        raise NotPermitted("only the organisation's administrator invites people to it")
    return me


def invite_user(uow: UnitOfWork, data: Invitation) -> CreatedAccount:
    """An exporter's administrator adds a person of the same organisation (an exporter account)."""
    uow.require(Action.INVITE_USERS)
    if uow.actor.role is Role.ADMINISTRATOR:
        raise NotPermitted("administrators create accounts with their organisation and role")
    me = _own_administrator(uow)
    account, password = _add_account(uow, data, Role.EXPORTER, me.organisation_id or 0)
    _audit(uow, AuditCommand.INVITE_USER, account, f"invited by {me.username}", None)
    uow.commit()
    return CreatedAccount(account=account_view(account), one_time_password=password)


def _managed_account(uow: UnitOfWork, account_id: int) -> Principal:
    """An account the actor may manage: any (administrators) or one of its own organisation's."""
    uow.require(Action.INVITE_USERS if uow.actor.role is Role.EXPORTER else Action.MANAGE_ACCOUNTS)
    account = uow.session.get(Principal, account_id)
    if uow.actor.role is Role.EXPORTER:
        me = _own_administrator(uow)
        if account is not None and account.organisation_id != me.organisation_id:
            account = None  # another organisation's account: as if it did not exist
    if account is None:
        raise NotFound(f"no account {account_id}", [Problem("account_id", f"no account {account_id}")])
    if account.username == uow.actor.principal:
        raise Conflict("an administrator does not act on their own account here", [Problem("account_id", "")])
    return account


def end_sessions(session: Session, account_id: int, now: datetime, reason: str) -> None:
    session.execute(
        update(SignInSession)
        .where(SignInSession.principal_id == account_id, SignInSession.ended_at.is_(None))
        .values(ended_at=now, ended_reason=reason)
    )


def change_account_status(
    uow: UnitOfWork, account_id: int, command: StatusCommand, reason: str
) -> AccountView:
    account = _managed_account(uow, account_id)
    before = account_view(account)
    account.status = next_status("the account", Status(account.status), command).value
    if command is StatusCommand.SUSPEND:
        end_sessions(uow.session, account.id, uow.clock.now(), "suspended")
    _audit(uow, events.ACCOUNT_STATUS_EVENTS[command], account, reason, before)
    uow.commit()
    return account_view(account)


def reset_credentials(
    uow: UnitOfWork, account_id: int, reason: str, *, second_factor: bool
) -> CreatedAccount:
    """A new one-time password (the lockout lifted, sessions ended); optionally a new second factor."""
    account = _managed_account(uow, account_id)
    before = account_view(account)
    password = credentials.one_time_password()
    account.password_hash = credentials.hash_password(password)
    account.password_must_change = True
    account.failed_sign_ins = 0
    account.locked_until = None
    if second_factor:
        account.totp_secret = None
        account.totp_last_step = None
        uow.session.execute(
            update(RecoveryCode)
            .where(RecoveryCode.principal_id == account.id)
            .values(used_at=uow.clock.now())
        )
    end_sessions(uow.session, account.id, uow.clock.now(), "credentials reset")
    _audit(uow, AuditCommand.RESET_CREDENTIALS, account, reason, before)
    uow.commit()
    return CreatedAccount(account=account_view(account), one_time_password=password)


def list_accounts(session: Session, actor: Actor) -> list[AccountView]:
    require(actor, Action.READ_ACCOUNTS)
    stmt = select(Principal).where(visible_accounts(actor)).order_by(Principal.username)
    return [account_view(p) for p in session.scalars(stmt)]
