"""Principals (accounts) as actors, and the set-up used by the demo and tests.

``create_principal`` gives an account a fixed, unscoped API token: the demo's tokens are printed at
its start (demo mode only) and tests use it to name their actors. Real deployments create accounts
through services/accounts/administration.py, which never accepts a token chosen by the caller.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import ApiToken, Organisation, Principal
from exportguard.domain.access import Action, Actor, Role
from exportguard.domain.accounts import Status
from exportguard.domain.errors import Conflict, InvalidInput, Problem
from exportguard.services.accounts import credentials
from exportguard.services.kernel.common import Input, NonEmpty


class NewPrincipal(Input):
    username: NonEmpty
    display_name: NonEmpty
    role: Role
    organisation_id: int | None = None


def actor_of(principal: Principal, scopes: frozenset[Action] | None = None) -> Actor:
    return Actor(principal.username, Role(principal.role), principal.organisation_id, scopes)


def may_sign_in(session: Session, principal: Principal) -> bool:
    """Neither the account nor its organisation is suspended."""
    if principal.status != Status.ACTIVE.value:
        return False
    if principal.organisation_id is None:
        return True
    status = session.scalar(
        select(Organisation.status).where(Organisation.party_id == principal.organisation_id)
    )
    return status is None or status == Status.ACTIVE.value


def create_principal(
    session: Session,
    data: NewPrincipal,
    token: str | None = None,
    *,
    password_hash: str | None = None,
    totp_secret: str | None = None,
) -> str:
    """Create an account with an unscoped API token and return the token (only its digest is kept).

    Set-up for the demo and tests, not a regulated act: it commits on its own. ``password_hash`` is
    from ``credentials.hash_password`` (hashed once by the caller for many accounts: argon2 is slow
    on purpose).
    """
    if data.role is Role.EXPORTER and data.organisation_id is None:
        raise InvalidInput.of("organisation_id", "an exporter principal belongs to an organisation")
    if session.scalar(select(Principal).where(Principal.username == data.username)) is not None:
        raise Conflict(f"principal {data.username} exists", [Problem("username", "already taken")])
    token = token or credentials.new_secret()
    principal = Principal(
        username=data.username,
        display_name=data.display_name,
        role=data.role.value,
        organisation_id=data.organisation_id,
        email="",
        status=Status.ACTIVE.value,
        organisation_admin=False,
        password_hash=password_hash,
        password_must_change=False,
        totp_secret=totp_secret,
        failed_sign_ins=0,
    )
    session.add(principal)
    session.flush()
    session.add(
        ApiToken(
            principal_id=principal.id,
            name="set-up token",
            token_sha256=credentials.digest(token),
            scopes=None,
            created_by="set-up",
        )
    )
    session.commit()
    return token


def principal_named(session: Session, username: str) -> Principal | None:
    return session.scalar(select(Principal).where(Principal.username == username))


def actor_for_username(session: Session, username: str) -> Actor:
    """The demo's replay acts as its principals by name (the demo only: never a credential)."""
    principal = principal_named(session, username)
    if principal is None:
        raise InvalidInput.of("as", f"no principal named '{username}'")
    return actor_of(principal)
