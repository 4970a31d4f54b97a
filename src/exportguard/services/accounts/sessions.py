"""Server-side sign-in sessions: the client holds a random id; the row holds who, since when, and
its cross-site request forgery token. Idle and absolute expiry (domain/accounts.py SignInPolicy);
a suspended account or organisation has no live session.

Also the steps a new account takes inside its first session: replacing its one-time password and,
for officials, enrolling a second factor (with recovery codes, shown once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from exportguard.db.models import Principal, RecoveryCode, SignInSession
from exportguard.domain.access import Actor, Role
from exportguard.domain.accounts import (
    DEFAULT_POLICY,
    SessionStage,
    SignInPolicy,
    check_password,
    needs_second_factor,
    session_ending,
)
from exportguard.domain.audit import AuditCommand
from exportguard.domain.errors import InvalidInput, NotAuthenticated, Problem
from exportguard.services.accounts import credentials, events
from exportguard.services.accounts.principals import actor_of, may_sign_in
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.system import ExportGuard

# Seen-at is refreshed at most this often: idle expiry needs minutes, not every request's write.
SEEN_PRECISION = timedelta(seconds=60)


@dataclass(frozen=True)
class LiveSession:
    actor: Actor
    account_id: int
    csrf_token: str
    stage: SessionStage
    must_change_password: bool
    must_enrol_second_factor: bool

    @property
    def pending(self) -> str | None:
        """What the person must do before anything else: 'second_factor', 'password', 'enrol' or None."""
        if self.stage is SessionStage.SECOND_FACTOR:
            return "second_factor"
        if self.must_change_password:
            return "password"
        if self.must_enrol_second_factor:
            return "enrol"
        return None


def open_session(session: Session, account_id: int, stage: SessionStage, channel: str, now: datetime) -> str:
    session_id = credentials.new_secret()
    session.add(
        SignInSession(
            id_sha256=credentials.digest(session_id),
            principal_id=account_id,
            stage=stage.value,
            channel=channel,
            csrf_token=credentials.new_secret(),
            created_at=now,
            last_seen_at=now,
        )
    )
    return session_id


def session_row(
    session: Session, session_id: str, now: datetime, policy: SignInPolicy = DEFAULT_POLICY
) -> SignInSession | None:
    """The live row for ``session_id``; an expired one is ended here (the caller commits)."""
    row = session.get(SignInSession, credentials.digest(session_id))
    if row is None or row.ended_at is not None:
        return None
    ending = session_ending(SessionStage(row.stage), row.created_at, row.last_seen_at, now, policy)
    if ending is not None:
        row.ended_at, row.ended_reason = now, f"{ending} timeout"
        return None
    return row


def resolve(
    system: ExportGuard, session_id: str, policy: SignInPolicy = DEFAULT_POLICY
) -> LiveSession | None:
    """The live session for an id from a cookie or the CLI's store, or None (unknown, ended, expired,
    or its account or organisation suspended)."""
    with system.session_factory() as session:
        now = system.clock.now()
        row = session_row(session, session_id, now, policy)
        if row is None:
            session.commit()  # an expiry found here is recorded
            return None
        account = session.get_one(Principal, row.principal_id)
        if not may_sign_in(session, account):
            row.ended_at, row.ended_reason = now, "suspended"
            session.commit()
            return None
        if now - row.last_seen_at >= SEEN_PRECISION:
            session.execute(
                update(SignInSession).where(SignInSession.id_sha256 == row.id_sha256).values(last_seen_at=now)
            )
            session.commit()
        return LiveSession(
            actor=actor_of(account),
            account_id=account.id,
            csrf_token=row.csrf_token,
            stage=SessionStage(row.stage),
            must_change_password=account.password_must_change,
            must_enrol_second_factor=needs_second_factor(Role(account.role)) and account.totp_secret is None,
        )


def _account_in_session(uow: UnitOfWork, session_id: str) -> Principal:
    row = session_row(uow.session, session_id, uow.clock.now())
    if row is None or row.stage != SessionStage.SIGNED_IN.value:
        raise NotAuthenticated("sign in first", [Problem("session", "no live session")])
    return uow.session.get_one(Principal, row.principal_id, with_for_update=True)


def _event(uow: UnitOfWork, command: AuditCommand, account: Principal, reason: str) -> None:
    events.record(uow, command, ("account", account.id, account.username), reason)


def change_password(system: ExportGuard, session_id: str, current: str, new: str) -> None:
    """ASVS 2.1.5-2.1.6: the current password, then a new one that meets the policy."""
    with system.uow(Actor("anonymous", Role.PUBLIC)) as uow:
        account = _account_in_session(uow, session_id)
        uow.actor = actor_of(account)
        if not credentials.password_matches(account.password_hash, current):
            raise InvalidInput.of("current_password", "is not your current password")
        check_password(new, account.username)
        if new == current:
            raise InvalidInput.of("password", "must differ from the current one")
        account.password_hash = credentials.hash_password(new)
        account.password_must_change = False
        # Other sessions of the account end: whoever knew the old password is signed out.
        uow.session.execute(
            update(SignInSession)
            .where(
                SignInSession.principal_id == account.id,
                SignInSession.ended_at.is_(None),
                SignInSession.id_sha256 != credentials.digest(session_id),
            )
            .values(ended_at=uow.clock.now(), ended_reason="password changed")
        )
        _event(uow, AuditCommand.CHANGE_PASSWORD, account, "password changed by its holder")
        uow.commit()


def enrol_second_factor(system: ExportGuard, session_id: str, secret: str, code: str) -> list[str]:
    """Keep ``secret`` as the account's TOTP seed once a code from it is right; returns ten recovery
    codes (shown once; only their digests are kept)."""
    with system.uow(Actor("anonymous", Role.PUBLIC)) as uow:
        account = _account_in_session(uow, session_id)
        uow.actor = actor_of(account)
        if account.totp_secret is not None:
            raise InvalidInput.of("code", "a second factor is already enrolled")
        step = credentials.totp_step(code, secret, uow.clock.now(), None)
        if step is None:
            raise InvalidInput.of("code", "does not match: check the clock of your authenticator")
        account.totp_secret = secret
        account.totp_last_step = step
        codes = credentials.new_recovery_codes()
        uow.session.add_all(
            RecoveryCode(principal_id=account.id, code_sha256=credentials.digest(c)) for c in codes
        )
        _event(
            uow, AuditCommand.ENROL_SECOND_FACTOR, account, "authenticator enrolled; recovery codes issued"
        )
        uow.commit()
        return codes
