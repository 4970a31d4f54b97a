"""Accounts and signing in: the rules, with the time passed in (OWASP ASVS 4.0 level 2 as yardstick).

Who belongs where (an account to one organisation), which lifecycle moves are legal, what a password
must be, when a sign-in session ends, when repeated failures lock an account, and which roles need a
second factor. The cryptography (argon2id, TOTP) is the services' business, through libraries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from exportguard.domain.access import PERMISSIONS, Action, Role
from exportguard.domain.errors import IllegalTransition, InvalidInput, Problem


class OrganisationKind(StrEnum):
    EXPORTER = "exporter"
    DEPARTMENT = "department"  # e.g. Global Affairs Canada, National Defence
    CUSTOMS = "customs"  # the Canada Border Services Agency


class Status(StrEnum):
    """Of an account or an organisation: a suspended one cannot sign in, its sessions and tokens stop."""

    ACTIVE = "active"
    SUSPENDED = "suspended"


class StatusCommand(StrEnum):
    SUSPEND = "suspend"
    REENABLE = "reenable"


TRANSITIONS: dict[tuple[Status, StatusCommand], Status] = {
    (Status.ACTIVE, StatusCommand.SUSPEND): Status.SUSPENDED,
    (Status.SUSPENDED, StatusCommand.REENABLE): Status.ACTIVE,
}


def next_status(what: str, current: Status, command: StatusCommand) -> Status:
    found = TRANSITIONS.get((current, command))
    if found is None:
        raise IllegalTransition(what, current.value, command.value)
    return found


# Which roles an organisation of each kind may hold: an exporter's people are exporters; a department
# holds the officials; customs holds customs officers. Administrators sit in a department.
ROLES_OF: dict[OrganisationKind, frozenset[Role]] = {
    OrganisationKind.EXPORTER: frozenset({Role.EXPORTER}),
    OrganisationKind.DEPARTMENT: frozenset(
        {Role.OFFICER, Role.DIRECTOR, Role.MINISTER, Role.ADVISOR, Role.AUDITOR, Role.ADMINISTRATOR}
    ),
    OrganisationKind.CUSTOMS: frozenset({Role.CUSTOMS}),
}


def check_role_fits(kind: OrganisationKind, role: Role) -> None:
    if role not in ROLES_OF[kind]:
        raise InvalidInput.of("role", f"a {kind.value} organisation cannot hold the role '{role.value}'")


# CRA business number: nine digits, optionally a program account (two letters, four digits).
BUSINESS_NUMBER = re.compile(r"^\d{9}([A-Z]{2}\d{4})?$")


def normalise_business_number(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value).upper()
    if not BUSINESS_NUMBER.match(compact):
        raise InvalidInput.of(
            "business_number", "expected nine digits, optionally a program account (e.g. 123456789RM0001)"
        )
    return compact


# ASVS 2.1.1-2.1.7: at least 12 characters, at most 128, any characters, no composition rules, checked
# against common and context-specific passwords.
MIN_PASSWORD = 12
MAX_PASSWORD = 128
COMMON_PASSWORDS = frozenset(
    {
        "password1234",
        "123456789012",
        "qwertyuiop12",
        "exportguard1",
        "exportguard123",
        "changeme1234",
        "letmein12345",
        "welcome12345",
        "administrator",
        "password123!",
    }
)


def password_problems(password: str, username: str) -> list[Problem]:
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(Problem("password", f"must be at least {MIN_PASSWORD} characters"))
    if len(password) > MAX_PASSWORD:
        problems.append(Problem("password", f"must be at most {MAX_PASSWORD} characters"))
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or (username and username.lower() in lowered):
        problems.append(Problem("password", "is too easy to guess (a common password or the username)"))
    return problems


def check_password(password: str, username: str) -> None:
    problems = password_problems(password, username)
    if problems:
        raise InvalidInput("password: " + problems[0].message, problems)


# ASVS 2.7/2.8: a second factor for every official (they decide on, or see, restricted information);
# exporters may enrol one but are not obliged to.
SECOND_FACTOR_ROLES = frozenset(
    {
        Role.OFFICER,
        Role.DIRECTOR,
        Role.MINISTER,
        Role.ADVISOR,
        Role.CUSTOMS,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
    }
)


def needs_second_factor(role: Role) -> bool:
    return role in SECOND_FACTOR_ROLES


@dataclass(frozen=True)
class SignInPolicy:
    """How long sessions last and how failures lock (ASVS 3.3.1-3.3.2 and 2.2.1)."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    # Between a correct password and the second factor.
    second_factor_window: timedelta = timedelta(minutes=5)
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


DEFAULT_POLICY = SignInPolicy()


class SessionStage(StrEnum):
    SECOND_FACTOR = "second_factor"  # the password was right; the code is awaited
    SIGNED_IN = "signed_in"


def session_ending(
    stage: SessionStage,
    created_at: datetime,
    last_seen_at: datetime,
    now: datetime,
    policy: SignInPolicy = DEFAULT_POLICY,
) -> str | None:
    """Why a session is over at ``now`` ('idle', 'absolute'), or None while it lives."""
    if stage is SessionStage.SECOND_FACTOR:
        return "absolute" if now >= created_at + policy.second_factor_window else None
    if now >= created_at + policy.absolute:
        return "absolute"
    if now >= last_seen_at + policy.idle:
        return "idle"
    return None


@dataclass(frozen=True)
class FailureOutcome:
    failures: int
    locked_until: datetime | None

    @property
    def locked_now(self) -> bool:
        return self.locked_until is not None


def after_failure(failures: int, now: datetime, policy: SignInPolicy = DEFAULT_POLICY) -> FailureOutcome:
    """One more failed sign-in: the count, and a lockout when it reaches the limit (then reset)."""
    failures += 1
    if failures >= policy.max_failures:
        return FailureOutcome(0, now + policy.lockout)
    return FailureOutcome(failures, None)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def check_scopes(role: Role, scopes: frozenset[Action]) -> None:
    """An API token is scoped to actions its account's role may take (never more than the role)."""
    if not scopes:
        raise InvalidInput.of("scopes", "name at least one action the token may take")
    beyond = sorted(a.value for a in scopes if role not in PERMISSIONS[a])
    if beyond:
        raise InvalidInput.of("scopes", f"role '{role.value}' may not: {', '.join(beyond)}")


def token_expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and now >= expires_at
