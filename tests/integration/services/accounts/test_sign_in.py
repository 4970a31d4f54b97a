"""Signing in: password, second factor, lockout, expiry, sign-out; each audited."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from exportguard.adapters.clock import FixedClock
from exportguard.db.models import AuditEvent
from exportguard.domain.access import Role
from exportguard.domain.accounts import StatusCommand
from exportguard.domain.errors import InvalidInput
from exportguard.services.accounts import credentials, sessions
from exportguard.services.accounts.administration import change_account_status
from exportguard.services.accounts.sign_in import Outcome, second_factor, sign_in, sign_out
from exportguard.services.system import ExportGuard
from tests.integration.services.accounts.conftest import ADMIN, NEW_PASSWORD, Orgs, new_account, ready


def commands(eg: ExportGuard, username: str) -> list[str]:
    with eg.read() as session:
        return list(
            session.scalars(
                select(AuditEvent.command).where(AuditEvent.subject_ref == username).order_by(AuditEvent.seq)
            )
        )


def test_an_exporter_signs_in_with_a_password_and_must_replace_the_one_time_one(
    eg: ExportGuard, orgs: Orgs
) -> None:
    _, one_time = new_account(eg, "ana.laurentide", Role.EXPORTER, orgs.exporter)
    first = sign_in(eg, "ana.laurentide", one_time)
    assert first.outcome is Outcome.SIGNED_IN and first.session_id
    live = sessions.resolve(eg, first.session_id)
    assert live is not None and live.pending == "password"
    with pytest.raises(InvalidInput, match="at least 12"):
        sessions.change_password(eg, first.session_id, one_time, "short")
    ready(eg, first.session_id, one_time)
    live = sessions.resolve(eg, first.session_id)
    assert live is not None and live.pending is None and live.actor.organisation_id == orgs.exporter
    assert sign_in(eg, "ana.laurentide", one_time).outcome is Outcome.REFUSED  # the old one is gone
    again = sign_in(eg, "ana.laurentide", NEW_PASSWORD, replaces=first.session_id)
    assert again.outcome is Outcome.SIGNED_IN and again.session_id != first.session_id
    assert sessions.resolve(eg, first.session_id) is None  # rotated at sign-in
    sign_out(eg, again.session_id or "")
    assert sessions.resolve(eg, again.session_id or "") is None
    assert commands(eg, "ana.laurentide") == [
        "create_account",
        "sign_in",
        "change_password",
        "sign_in_failed",
        "sign_in",
        "sign_out",
    ]


def test_an_official_enrols_then_needs_the_code_each_time(
    eg: ExportGuard, clock: FixedClock, orgs: Orgs
) -> None:
    _, one_time = new_account(eg, "officer.roy", Role.OFFICER, orgs.department)
    first = sign_in(eg, "officer.roy", one_time)
    assert first.session_id
    ready(eg, first.session_id, one_time)
    live = sessions.resolve(eg, first.session_id)
    assert live is not None and live.pending == "enrol"
    secret = pyotp.random_base32()
    with pytest.raises(InvalidInput, match="does not match"):
        sessions.enrol_second_factor(eg, first.session_id, secret, "000000")
    codes = sessions.enrol_second_factor(
        eg, first.session_id, secret, credentials.totp_now(secret, clock.now())
    )
    assert len(codes) == 10 and len(set(codes)) == 10

    clock.advance(seconds=30)
    step = sign_in(eg, "officer.roy", NEW_PASSWORD)
    assert step.outcome is Outcome.SECOND_FACTOR and step.session_id
    waiting = sessions.resolve(eg, step.session_id)
    assert waiting is not None and waiting.pending == "second_factor"
    code = credentials.totp_now(secret, clock.now())
    done = second_factor(eg, step.session_id, code)
    assert done.outcome is Outcome.SIGNED_IN and done.session_id != step.session_id
    assert sessions.resolve(eg, step.session_id) is None
    # The same code a second time within its 30 seconds is refused (ASVS 2.8.4).
    replay = sign_in(eg, "officer.roy", NEW_PASSWORD)
    assert second_factor(eg, replay.session_id or "", code).outcome is Outcome.REFUSED
    # A recovery code works once, in any case and with or without its dash.
    with_recovery = sign_in(eg, "officer.roy", NEW_PASSWORD)
    assert second_factor(eg, with_recovery.session_id or "", codes[0].upper()).outcome is Outcome.SIGNED_IN
    reused = sign_in(eg, "officer.roy", NEW_PASSWORD)
    assert second_factor(eg, reused.session_id or "", codes[0]).outcome is Outcome.REFUSED


def test_five_failures_lock_the_account_for_fifteen_minutes(
    eg: ExportGuard, clock: FixedClock, orgs: Orgs
) -> None:
    _, one_time = new_account(eg, "ana.laurentide", Role.EXPORTER, orgs.exporter)
    outcomes = [sign_in(eg, "ana.laurentide", f"wrong guess {n}").outcome for n in range(5)]
    assert outcomes == [Outcome.REFUSED] * 4 + [Outcome.LOCKED]
    right = sign_in(eg, "ana.laurentide", one_time)
    assert right.outcome is Outcome.LOCKED and right.session_id is None  # even the right password
    clock.advance(minutes=15)
    assert sign_in(eg, "ana.laurentide", one_time).outcome is Outcome.SIGNED_IN
    assert commands(eg, "ana.laurentide")[1:] == ["sign_in_failed"] * 5 + [
        "lock_account",
        "sign_in_refused",
        "sign_in",
    ]
    assert sign_in(eg, "nobody.here", "x").outcome is Outcome.REFUSED
    assert commands(eg, "nobody.here") == ["sign_in_failed"]


def test_sessions_end_after_idle_time_and_at_the_absolute_limit(
    eg: ExportGuard, clock: FixedClock, orgs: Orgs
) -> None:
    _, one_time = new_account(eg, "ana.laurentide", Role.EXPORTER, orgs.exporter)
    session_id = sign_in(eg, "ana.laurentide", one_time).session_id or ""
    ready(eg, session_id, one_time)
    start = clock.now()
    for _ in range(40):  # active every 29 minutes: idle never ends it, twelve hours do
        clock.advance(minutes=29)
        if sessions.resolve(eg, session_id) is None:
            break
    assert timedelta(hours=12) <= clock.now() - start < timedelta(hours=12, minutes=29)
    other = sign_in(eg, "ana.laurentide", NEW_PASSWORD).session_id or ""
    clock.advance(minutes=30)
    assert sessions.resolve(eg, other) is None


def test_a_suspended_account_cannot_sign_in_and_its_sessions_end(eg: ExportGuard, orgs: Orgs) -> None:
    account, one_time = new_account(eg, "ana.laurentide", Role.EXPORTER, orgs.exporter)
    session_id = sign_in(eg, "ana.laurentide", one_time).session_id or ""
    with eg.uow(ADMIN) as uow:
        change_account_status(uow, account, StatusCommand.SUSPEND, "left the company")
    assert sessions.resolve(eg, session_id) is None
    assert sign_in(eg, "ana.laurentide", one_time).outcome is Outcome.REFUSED
