"""Signing in with a password, then a second factor (TOTP or a recovery code), with lockout.

ASVS 2.2.1: repeated failures lock the account for a while (domain/accounts.py SignInPolicy); every
sign-in, failure, lockout and sign-out is an audit event in its own unit of work. A refused sign-in
says no more than "the username or password is wrong" (or that the account is locked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from exportguard.db.models import Principal, RecoveryCode, SignInSession
from exportguard.domain.access import Actor, Role
from exportguard.domain.accounts import (
    DEFAULT_POLICY,
    SessionStage,
    SignInPolicy,
    after_failure,
    is_locked,
    needs_second_factor,
)
from exportguard.domain.audit import AuditCommand
from exportguard.services.accounts import credentials, events
from exportguard.services.accounts.principals import actor_of, may_sign_in
from exportguard.services.accounts.sessions import open_session, session_row
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.system import ExportGuard

ANONYMOUS = Actor("anonymous", Role.PUBLIC)


class Outcome(StrEnum):
    SIGNED_IN = "signed_in"
    SECOND_FACTOR = "second_factor"  # the password was right: a code is asked for next
    REFUSED = "refused"
    LOCKED = "locked"


@dataclass(frozen=True)
class SignIn:
    outcome: Outcome
    session_id: str | None = None  # the new session's id, for the cookie (or the CLI's store)
    locked_until: datetime | None = None


def _event(uow: UnitOfWork, command: AuditCommand, subject_id: int, ref: str, reason: str) -> None:
    events.record(uow, command, ("account", subject_id, ref), reason)


def _failure(uow: UnitOfWork, account: Principal, reason: str, policy: SignInPolicy) -> SignIn:
    """Count a failure against the account; the limit locks it (both audited), then commit."""
    outcome = after_failure(account.failed_sign_ins, uow.clock.now(), policy)
    account.failed_sign_ins = outcome.failures
    _event(uow, AuditCommand.SIGN_IN_FAILED, account.id, account.username, reason)
    if outcome.locked_until is not None:
        account.locked_until = outcome.locked_until
        _event(
            uow,
            AuditCommand.LOCK_ACCOUNT,
            account.id,
            account.username,
            f"{policy.max_failures} failed sign-ins",
        )
    uow.commit()
    if outcome.locked_until is not None:
        return SignIn(Outcome.LOCKED, locked_until=outcome.locked_until)
    return SignIn(Outcome.REFUSED)


def sign_in(
    system: ExportGuard,
    username: str,
    password: str,
    *,
    channel: str = "web",
    replaces: str | None = None,
    policy: SignInPolicy = DEFAULT_POLICY,
) -> SignIn:
    """Check a password; open a session (fully signed in, or waiting for the second factor).

    ``replaces``: the session id the client held before, ended here (ASVS 3.2.1: a new id at sign-in).
    """
    with system.read() as session:
        found = session.scalar(select(Principal.id).where(Principal.username == username.strip()))
    if found is None:
        credentials.password_matches(None, password)  # as long as a real check
        with system.uow(ANONYMOUS) as uow:
            _event(uow, AuditCommand.SIGN_IN_FAILED, 0, username.strip() or "(none)", "unknown account")
            uow.commit()
        return SignIn(Outcome.REFUSED)
    with system.uow(ANONYMOUS) as uow:
        account = uow.session.get_one(Principal, found, with_for_update=True)
        uow.actor = actor_of(account)
        now = uow.clock.now()
        if is_locked(account.locked_until, now):
            credentials.password_matches(None, password)
            _event(uow, AuditCommand.SIGN_IN_REFUSED, account.id, account.username, "account locked")
            uow.commit()
            return SignIn(Outcome.LOCKED, locked_until=account.locked_until)
        if not credentials.password_matches(account.password_hash, password):
            return _failure(uow, account, "wrong password", policy)
        if not may_sign_in(uow.session, account):
            _event(
                uow,
                AuditCommand.SIGN_IN_FAILED,
                account.id,
                account.username,
                "account or organisation suspended",
            )
            uow.commit()
            return SignIn(Outcome.REFUSED)
        if account.password_hash and credentials.needs_rehash(account.password_hash):
            account.password_hash = credentials.hash_password(password)
        if replaces:
            _end(uow, replaces, "replaced at sign-in")
        two_step = account.totp_secret is not None
        stage = SessionStage.SECOND_FACTOR if two_step else SessionStage.SIGNED_IN
        session_id = open_session(uow.session, account.id, stage, channel, now)
        if two_step:
            _event(
                uow,
                AuditCommand.SIGN_IN_PASSWORD,
                account.id,
                account.username,
                "password accepted; code asked",
            )
        else:
            account.failed_sign_ins = 0
            _event(
                uow, AuditCommand.SIGN_IN, account.id, account.username, f"signed in ({channel}, password)"
            )
        uow.commit()
    return SignIn(Outcome.SECOND_FACTOR if two_step else Outcome.SIGNED_IN, session_id)


def _used_recovery_code(uow: UnitOfWork, account: Principal, code: str) -> bool:
    row = uow.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.principal_id == account.id,
            RecoveryCode.code_sha256 == credentials.digest(credentials.normalise_recovery_code(code)),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = uow.clock.now()
    return True


def second_factor(
    system: ExportGuard, session_id: str, code: str, *, policy: SignInPolicy = DEFAULT_POLICY
) -> SignIn:
    """The code (TOTP, or one recovery code) for a session waiting for it: a new session id on success."""
    with system.uow(ANONYMOUS) as uow:
        pending = session_row(uow.session, session_id, uow.clock.now(), policy)
        if pending is None or pending.stage != SessionStage.SECOND_FACTOR.value:
            return SignIn(Outcome.REFUSED)
        account = uow.session.get_one(Principal, pending.principal_id, with_for_update=True)
        uow.actor = actor_of(account)
        now = uow.clock.now()
        if is_locked(account.locked_until, now) or not may_sign_in(uow.session, account):
            pending.ended_at, pending.ended_reason = now, "refused"
            _event(
                uow, AuditCommand.SIGN_IN_REFUSED, account.id, account.username, "account locked or suspended"
            )
            uow.commit()
            return SignIn(Outcome.LOCKED, locked_until=account.locked_until)
        step = credentials.totp_step(code, account.totp_secret or "", now, account.totp_last_step)
        factor = "authenticator code"
        if step is not None:
            account.totp_last_step = step
        elif _used_recovery_code(uow, account, code):
            factor = "recovery code"
        else:
            result = _failure(uow, account, "wrong code", policy)
            if result.outcome is Outcome.LOCKED:
                with system.uow(actor_of(account)) as end:
                    _end(end, session_id, "locked")
                    end.commit()
            return result
        pending.ended_at, pending.ended_reason = now, "second factor given"
        new_id = open_session(uow.session, account.id, SessionStage.SIGNED_IN, pending.channel, now)
        account.failed_sign_ins = 0
        _event(
            uow,
            AuditCommand.SIGN_IN,
            account.id,
            account.username,
            f"signed in ({pending.channel}, password and {factor})",
        )
        uow.commit()
    return SignIn(Outcome.SIGNED_IN, new_id)


def _end(uow: UnitOfWork, session_id: str, reason: str) -> SignInSession | None:
    row = uow.session.get(SignInSession, credentials.digest(session_id))
    if row is not None and row.ended_at is None:
        row.ended_at, row.ended_reason = uow.clock.now(), reason
    return row


def sign_out(system: ExportGuard, session_id: str) -> None:
    """End the session (ASVS 3.3.1); nothing happens for an unknown or ended one."""
    with system.uow(ANONYMOUS) as uow:
        row = uow.session.get(SignInSession, credentials.digest(session_id))
        if row is None or row.ended_at is not None:
            return
        account = uow.session.get_one(Principal, row.principal_id)
        uow.actor = actor_of(account)
        _end(uow, session_id, "signed out")
        _event(uow, AuditCommand.SIGN_OUT, account.id, account.username, f"signed out ({row.channel})")
        uow.commit()


def must_enrol(account: Principal) -> bool:
    return needs_second_factor(Role(account.role)) and account.totp_secret is None
