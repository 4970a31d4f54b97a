"""API tokens for systems (the customs feed, an exporter's ERP): created by an administrator for an
account, shown once, scoped to actions, expiring, revocable with immediate effect, listed with last use.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import Field
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from exportguard.db.models import ApiToken, Organisation, Principal
from exportguard.domain.access import Action, Actor, Role, require
from exportguard.domain.accounts import Status, check_scopes, token_expired
from exportguard.domain.audit import AuditCommand
from exportguard.domain.errors import Conflict, NotAuthenticated, Problem
from exportguard.services.accounts import credentials, events
from exportguard.services.accounts.principals import actor_of, may_sign_in
from exportguard.services.kernel.common import Input, NonEmpty, View, get_or_404
from exportguard.services.kernel.unit_of_work import UnitOfWork

# "Last used" is kept to the minute: a write per request would cost the border's check.
LAST_USE_PRECISION = timedelta(minutes=1)


class NewToken(Input):
    name: NonEmpty = Field(max_length=80, description="What the token is for, e.g. 'CBSA customs feed'")
    scopes: list[Action] = Field(min_length=1, description="The actions the token may take")
    expires_in_days: int = Field(default=90, ge=1, le=366, description="Days until it stops working")


class TokenView(View):
    id: int
    account: str
    name: str
    scopes: list[str] | None
    created_at: datetime | None
    created_by: str
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class IssuedToken(View):
    """The token itself is in this answer only: it is never shown again."""

    token: str
    details: TokenView


def _scopes(text: str | None) -> frozenset[Action] | None:
    return None if text is None else frozenset(Action(a) for a in text.split())


def token_view(token: ApiToken, username: str) -> TokenView:
    scopes = _scopes(token.scopes)
    return TokenView(
        id=token.id,
        account=username,
        name=token.name,
        scopes=None if scopes is None else sorted(a.value for a in scopes),
        created_at=token.created_at,
        created_by=token.created_by,
        expires_at=token.expires_at,
        revoked_at=token.revoked_at,
        last_used_at=token.last_used_at,
    )


def create_token(uow: UnitOfWork, account_id: int, data: NewToken) -> IssuedToken:
    uow.require(Action.MANAGE_ACCOUNTS)
    account = get_or_404(uow.session, Principal, account_id, "account", "account_id")
    scopes = frozenset(data.scopes)
    check_scopes(Role(account.role), scopes)
    now = uow.clock.now()
    secret = credentials.new_secret()
    token = ApiToken(
        principal_id=account.id,
        name=data.name,
        token_sha256=credentials.digest(secret),
        scopes=" ".join(sorted(a.value for a in scopes)),
        created_at=now,
        created_by=uow.actor.principal,
        expires_at=now + timedelta(days=data.expires_in_days),
    )
    uow.session.add(token)
    uow.session.flush()
    view = token_view(token, account.username)
    subject = ("api_token", token.id, f"{account.username}: {data.name}")
    events.record(
        uow, AuditCommand.CREATE_API_TOKEN, subject, "API token issued", after=view.model_dump(mode="json")
    )
    uow.commit()
    return IssuedToken(token=secret, details=view)


def revoke_token(uow: UnitOfWork, token_id: int, reason: str) -> TokenView:
    uow.require(Action.MANAGE_ACCOUNTS)
    token = get_or_404(uow.session, ApiToken, token_id, "API token", "token_id")
    if token.revoked_at is not None:
        raise Conflict("the token is already revoked", [Problem("token_id", "already revoked")])
    username = uow.session.get_one(Principal, token.principal_id).username
    before = token_view(token, username)
    token.revoked_at = uow.clock.now()
    after = token_view(token, username)
    events.record(
        uow,
        AuditCommand.REVOKE_API_TOKEN,
        ("api_token", token.id, f"{username}: {token.name}"),
        reason,
        before=before.model_dump(mode="json"),
        after=after.model_dump(mode="json"),
    )
    uow.commit()
    return after


def list_tokens(session: Session, actor: Actor, account_id: int | None = None) -> list[TokenView]:
    require(actor, Action.MANAGE_ACCOUNTS)
    stmt = select(ApiToken, Principal.username).join(Principal, Principal.id == ApiToken.principal_id)
    if account_id is not None:
        stmt = stmt.where(ApiToken.principal_id == account_id)
    return [token_view(t, name) for t, name in session.execute(stmt.order_by(ApiToken.id))]


def actor_for_token(session: Session, token: str, now: datetime) -> Actor:
    """The actor a presented token acts as, within its scopes; NotAuthenticated if it is unknown,
    revoked, expired, or its account or organisation is suspended. Notes its use (to the minute)."""
    digest = credentials.digest(token)
    found = session.execute(
        select(ApiToken, Principal)
        .join(Principal, Principal.id == ApiToken.principal_id)
        .where(ApiToken.token_sha256 == digest)
    ).first()
    if found is None or found[0].revoked_at is not None or token_expired(found[0].expires_at, now):
        raise NotAuthenticated(
            "unknown, expired or revoked token", [Problem("authorization", "unknown, expired or revoked")]
        )
    api_token, principal = found
    if not may_sign_in(session, principal):
        raise NotAuthenticated("the account is suspended", [Problem("authorization", "account suspended")])
    session.execute(
        update(ApiToken)
        .where(ApiToken.id == api_token.id)
        .where(or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - LAST_USE_PRECISION))
        .values(last_used_at=now)
    )
    session.commit()
    return actor_of(principal, _scopes(api_token.scopes))


def token_is_live(session: Session, token: str, now: datetime) -> bool:
    """One indexed look-up: is this token unrevoked and unexpired, its account and organisation not
    suspended? (asked on every request, even for an actor remembered a moment ago)."""
    row = session.execute(
        select(ApiToken.revoked_at, ApiToken.expires_at, Principal.status, Organisation.status.label("org"))
        .join(Principal, Principal.id == ApiToken.principal_id)
        .outerjoin(Organisation, Organisation.party_id == Principal.organisation_id)
        .where(ApiToken.token_sha256 == credentials.digest(token))
    ).first()
    return (
        row is not None
        and row.revoked_at is None
        and not token_expired(row.expires_at, now)
        and row.status == Status.ACTIVE.value
        and row.org in (None, Status.ACTIVE.value)
    )
