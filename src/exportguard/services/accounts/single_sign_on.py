"""Signing in through a ministry's identity provider (adapters/identity.py): the seam for OIDC.

An account is linked to one identity (issuer and subject) by an administrator. Officials must come
back with a multi-factor sign-in at the provider (the second factor is then the provider's).
"""

from __future__ import annotations

from sqlalchemy import select

from exportguard.adapters.identity import IdentityProvider, IdentityRefused
from exportguard.db.models import Principal
from exportguard.domain.access import Action, Role
from exportguard.domain.accounts import SessionStage, needs_second_factor
from exportguard.domain.audit import AuditCommand
from exportguard.domain.errors import Conflict, Problem
from exportguard.services.accounts import events
from exportguard.services.accounts.administration import AccountView, account_view
from exportguard.services.accounts.principals import actor_of, may_sign_in
from exportguard.services.accounts.sessions import open_session
from exportguard.services.accounts.sign_in import ANONYMOUS, Outcome, SignIn
from exportguard.services.kernel.common import get_or_404
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.system import ExportGuard


def link_identity(uow: UnitOfWork, account_id: int, issuer: str, subject: str) -> AccountView:
    uow.require(Action.MANAGE_ACCOUNTS)
    account = get_or_404(uow.session, Principal, account_id, "account", "account_id")
    external_id = f"{issuer}|{subject}"
    if uow.session.scalar(select(Principal.id).where(Principal.external_id == external_id)):
        raise Conflict("that identity is linked to an account", [Problem("subject", "already linked")])
    account.external_id = external_id
    events.record(
        uow,
        AuditCommand.LINK_IDENTITY,
        ("account", account.id, account.username),
        f"linked to {issuer}",
        after={"issuer": issuer},
    )
    uow.commit()
    return account_view(account)


def sign_in_with_identity(
    system: ExportGuard, provider: IdentityProvider, code: str, nonce: str, redirect_uri: str
) -> SignIn:
    """The provider's code for a verified identity -> a new signed-in session, or refused (audited)."""
    with system.uow(ANONYMOUS) as uow:
        try:
            identity = provider.identity(code, nonce, redirect_uri)
        except IdentityRefused as exc:
            events.record(uow, AuditCommand.SIGN_IN_FAILED, ("account", 0, provider.issuer), str(exc))
            uow.commit()
            return SignIn(Outcome.REFUSED)
        account = uow.session.scalar(select(Principal).where(Principal.external_id == identity.external_id))
        reason = ""
        if account is None:
            reason = "no account linked to this identity"
        elif not may_sign_in(uow.session, account):
            reason = "account or organisation suspended"
        elif needs_second_factor(Role(account.role)) and not identity.multi_factor:
            reason = "the identity provider did not verify a second factor"
        if account is None or reason:
            subject_id, ref = (0, identity.subject) if account is None else (account.id, account.username)
            events.record(uow, AuditCommand.SIGN_IN_FAILED, ("account", subject_id, ref), reason)
            uow.commit()
            return SignIn(Outcome.REFUSED)
        uow.actor = actor_of(account)
        session_id = open_session(uow.session, account.id, SessionStage.SIGNED_IN, "web", uow.clock.now())
        subject = ("account", account.id, account.username)
        events.record(uow, AuditCommand.SIGN_IN, subject, f"signed in (web, {provider.issuer})")
        uow.commit()
    return SignIn(Outcome.SIGNED_IN, session_id)
