"""The rules of accounts and signing in, with the time passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from exportguard.domain.access import Action, Role
from exportguard.domain.accounts import (
    ROLES_OF,
    TRANSITIONS,
    OrganisationKind,
    SessionStage,
    SignInPolicy,
    Status,
    StatusCommand,
    after_failure,
    check_role_fits,
    check_scopes,
    is_locked,
    needs_second_factor,
    next_status,
    normalise_business_number,
    password_problems,
    session_ending,
)
from exportguard.domain.errors import IllegalTransition, InvalidInput

T0 = datetime(2020, 10, 5, 9, 0, tzinfo=UTC)
POLICY = SignInPolicy(idle=timedelta(minutes=30), absolute=timedelta(hours=12), max_failures=5)


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("command", list(StatusCommand))
def test_status_transitions_every_pair(status: Status, command: StatusCommand) -> None:
    if (status, command) in TRANSITIONS:
        assert next_status("the account", status, command) is TRANSITIONS[(status, command)]
    else:
        with pytest.raises(IllegalTransition):
            next_status("the account", status, command)


@pytest.mark.parametrize("kind", list(OrganisationKind))
@pytest.mark.parametrize("role", [r for r in Role if r is not Role.PUBLIC])
def test_which_roles_each_kind_of_organisation_holds(kind: OrganisationKind, role: Role) -> None:
    if role in ROLES_OF[kind]:
        check_role_fits(kind, role)
    else:
        with pytest.raises(InvalidInput, match="cannot hold"):
            check_role_fits(kind, role)


def test_business_numbers() -> None:
    assert normalise_business_number("123 456 789") == "123456789"
    assert normalise_business_number("123456789 rm 0001") == "123456789RM0001"
    for bad in ("12345678", "1234567890", "123456789RM01", "ABCDEFGHI"):
        with pytest.raises(InvalidInput, match="business_number"):
            normalise_business_number(bad)


def test_passwords_are_long_not_common_and_not_the_username() -> None:
    assert password_problems("a long enough passphrase", "officer.roy") == []
    assert password_problems("short", "x")[0].message.startswith("must be at least 12")
    assert password_problems("x" * 129, "y")[0].message.startswith("must be at most 128")
    assert password_problems("Password1234", "x")  # common, whatever the case
    assert password_problems("officer.roy-is-me!", "officer.roy")


def test_officials_need_a_second_factor_exporters_do_not() -> None:
    assert [r for r in Role if needs_second_factor(r)] == [
        Role.OFFICER,
        Role.DIRECTOR,
        Role.MINISTER,
        Role.ADVISOR,
        Role.CUSTOMS,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
    ]


def test_sessions_end_when_idle_or_too_old() -> None:
    live = SessionStage.SIGNED_IN
    assert session_ending(live, T0, T0, T0 + timedelta(minutes=29), POLICY) is None
    assert session_ending(live, T0, T0, T0 + timedelta(minutes=30), POLICY) == "idle"
    seen = T0 + timedelta(hours=11, minutes=59)
    assert session_ending(live, T0, seen, T0 + timedelta(hours=11, minutes=59, seconds=30), POLICY) is None
    assert session_ending(live, T0, seen, T0 + timedelta(hours=12), POLICY) == "absolute"
    # Between the password and the code: five minutes, whatever the activity.
    waiting = SessionStage.SECOND_FACTOR
    assert session_ending(waiting, T0, T0, T0 + timedelta(minutes=4), POLICY) is None
    assert session_ending(waiting, T0, T0, T0 + timedelta(minutes=5), POLICY) == "absolute"


def test_the_fifth_failure_locks_for_a_while() -> None:
    failures = 0
    for _ in range(4):
        outcome = after_failure(failures, T0, POLICY)
        failures = outcome.failures
        assert not outcome.locked_now
    locked = after_failure(failures, T0, POLICY)
    assert locked.locked_until == T0 + POLICY.lockout and locked.failures == 0
    assert is_locked(locked.locked_until, T0 + timedelta(minutes=14))
    assert not is_locked(locked.locked_until, T0 + timedelta(minutes=15))


def test_a_token_is_never_scoped_beyond_its_role() -> None:
    check_scopes(Role.CUSTOMS, frozenset({Action.CHECK_AUTHORISATION, Action.RECORD_SHIPMENT}))
    with pytest.raises(InvalidInput, match="alter_permit"):
        check_scopes(Role.CUSTOMS, frozenset({Action.CHECK_AUTHORISATION, Action.ALTER_PERMIT}))
    with pytest.raises(InvalidInput, match="at least one"):
        check_scopes(Role.CUSTOMS, frozenset())
