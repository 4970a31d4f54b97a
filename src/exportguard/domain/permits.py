"""Permits and their lifecycle under EIPA s.10: amend, suspend, reinstate, cancel; expiry by date.

One transition table, declared once. ``reinstated`` is not a state of its own: a reinstated permit
is active again and its history remembers the reinstatement. ``exhausted`` is derived from what was
shipped and is never stored. ``superseded`` is the state of an amended permit's earlier version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from exportguard.domain.audit import AuditCommand
from exportguard.domain.errors import (
    Conflict,
    IllegalTransition,
    InvalidInput,
    Problem,
    QuantityExceeded,
)
from exportguard.domain.messages import N_, Said, message


class PermitState(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


class PermitCommand(StrEnum):
    ISSUE = "issue"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    CANCEL = "cancel"
    EXPIRE = "expire"
    AMEND = "amend"


S = PermitState
C = PermitCommand

# EIPA s.10(1): the Minister may amend, suspend, cancel or reinstate any permit. A cancelled,
# expired or superseded permit is final. Amendment applies to a permit in force: a suspended
# permit is reinstated (or cancelled) first, so an amendment never silently lifts a suspension.
TRANSITIONS: dict[tuple[PermitState, PermitCommand], PermitState] = {
    (S.ACTIVE, C.SUSPEND): S.SUSPENDED,
    (S.ACTIVE, C.CANCEL): S.CANCELLED,
    (S.ACTIVE, C.EXPIRE): S.EXPIRED,
    (S.ACTIVE, C.AMEND): S.SUPERSEDED,
    (S.SUSPENDED, C.REINSTATE): S.ACTIVE,
    (S.SUSPENDED, C.CANCEL): S.CANCELLED,
    (S.SUSPENDED, C.EXPIRE): S.EXPIRED,
}

# Commands of the lifecycle other than ``issue``, which creates a permit rather than moving one.
LIFECYCLE_COMMANDS: tuple[PermitCommand, ...] = tuple(c for c in PermitCommand if c is not C.ISSUE)
FINAL_STATES: frozenset[PermitState] = frozenset({S.CANCELLED, S.EXPIRED, S.SUPERSEDED})
# States in which the permit still exists as an authority (it may be reinstated or is in force).
LIVE_STATES: frozenset[PermitState] = frozenset({S.ACTIVE, S.SUSPENDED})


THE_PERMIT = message("subject.the_permit", N_("the permit"))
PERMIT_NUMBER = message("subject.permit", N_("permit %(number)s"))


def next_state(state: PermitState, command: PermitCommand, *, what: Said | None = None) -> PermitState:
    """The state after ``command``; raises :class:`IllegalTransition` when the table has no entry."""
    try:
        return TRANSITIONS[(state, command)]
    except KeyError:
        raise IllegalTransition(what or THE_PERMIT(), state.value, command.value) from None


@dataclass(frozen=True)
class StateChange:
    """One entry in a permit's effective-dated history."""

    state: PermitState
    command: PermitCommand
    effective_date: date


def check_effective_date(
    history: Sequence[StateChange], effective_date: date, *, field: str = "effective_date"
) -> None:
    """A change takes effect on or after the permit's previous change (histories never fork)."""
    if history and effective_date < history[-1].effective_date:
        last = history[-1]
        raise Conflict(
            f"{field}: {effective_date} is before the permit's last change "
            f"({last.command.value} effective {last.effective_date})",
            [Problem(field, f"must be on or after {last.effective_date}")],
        )


def state_as_of(history: Iterable[StateChange], day: date) -> PermitState | None:
    """The state recorded for ``day``; None when the permit did not yet exist."""
    current: PermitState | None = None
    for change in history:
        if change.effective_date <= day:
            current = change.state
        else:
            break
    return current


def status_on(history: Iterable[StateChange], day: date, *, valid_from: date, valid_to: date) -> str | None:
    """What a reader should be told about the permit on ``day``.

    The stored history is authoritative for ministerial acts; validity dates decide expiry even
    before the sweep has recorded it, and a permit issued with a later start is not yet valid.
    """
    state = state_as_of(history, day)
    if state is None:
        return None
    if state in LIVE_STATES and day > valid_to:
        return S.EXPIRED.value
    if state is S.ACTIVE and day < valid_from:
        return "not_yet_valid"
    return state.value


def validate_validity(valid_from: date, valid_to: date, *, field: str = "valid_to") -> None:
    if valid_to < valid_from:
        raise InvalidInput.of(field, f"{valid_to} is before the start of validity {valid_from}")


def due_for_expiry(state: PermitState, valid_to: date, today: date) -> bool:
    """The expiry sweep expires live permits whose last valid day has passed."""
    return state in LIVE_STATES and valid_to < today


def check_lines_within(requested: dict[int, int], available: dict[int, int], *, field: str = "lines") -> None:
    """Permit lines never exceed what was applied for (minus what other permits already took)."""
    problems: list[Problem] = []
    for line_no, qty in sorted(requested.items()):
        if qty <= 0:
            problems.append(Problem(f"{field}[{line_no}].quantity", "must be a positive integer"))
        elif line_no not in available:
            problems.append(Problem(f"{field}[{line_no}]", "no such line on the application"))
        elif qty > available[line_no]:
            problems.append(
                Problem(
                    f"{field}[{line_no}].quantity",
                    f"{qty} is above the {available[line_no]} still available on the application",
                )
            )
    if not requested:
        problems.append(Problem(field, "a permit needs at least one line"))
    if problems:
        raise QuantityExceeded("permit lines exceed the application", problems)


# What each command is recorded as in the audit log (domain/audit.py).
AUDITED_AS: dict[PermitCommand, AuditCommand] = {
    PermitCommand.ISSUE: AuditCommand.ISSUE_PERMIT,
    PermitCommand.SUSPEND: AuditCommand.SUSPEND_PERMIT,
    PermitCommand.REINSTATE: AuditCommand.REINSTATE_PERMIT,
    PermitCommand.CANCEL: AuditCommand.CANCEL_PERMIT,
    PermitCommand.EXPIRE: AuditCommand.EXPIRE_PERMIT,
    PermitCommand.AMEND: AuditCommand.AMEND_PERMIT,
}
