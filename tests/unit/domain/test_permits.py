"""The permit transition table, pair by pair, and the as-of rules (pure, no database)."""

from __future__ import annotations

from datetime import date

import pytest

from exportguard.domain.errors import Conflict, IllegalTransition, QuantityExceeded
from exportguard.domain.permits import (
    FINAL_STATES,
    LIFECYCLE_COMMANDS,
    TRANSITIONS,
    PermitCommand,
    PermitState,
    StateChange,
    check_effective_date,
    check_lines_within,
    due_for_expiry,
    next_state,
    state_as_of,
    status_on,
)

S, C = PermitState, PermitCommand
EXPECTED = {
    (S.ACTIVE, C.SUSPEND): S.SUSPENDED,
    (S.ACTIVE, C.CANCEL): S.CANCELLED,
    (S.ACTIVE, C.EXPIRE): S.EXPIRED,
    (S.ACTIVE, C.AMEND): S.SUPERSEDED,
    (S.SUSPENDED, C.REINSTATE): S.ACTIVE,
    (S.SUSPENDED, C.CANCEL): S.CANCELLED,
    (S.SUSPENDED, C.EXPIRE): S.EXPIRED,
}


@pytest.mark.parametrize("state", list(PermitState))
@pytest.mark.parametrize("command", LIFECYCLE_COMMANDS)
def test_every_pair(state: PermitState, command: PermitCommand) -> None:
    if (state, command) in EXPECTED:
        assert next_state(state, command) is EXPECTED[(state, command)]
    else:
        with pytest.raises(IllegalTransition) as err:
            next_state(state, command)
        assert err.value.status == 409
        assert state.value in str(err.value) and command.value in str(err.value)


def test_table_is_exactly_the_declared_one() -> None:
    assert TRANSITIONS == EXPECTED


def test_final_states_have_no_way_out() -> None:
    assert all(s not in FINAL_STATES for s, _ in TRANSITIONS)


HISTORY = [
    StateChange(S.ACTIVE, C.ISSUE, date(2020, 5, 15)),
    StateChange(S.SUSPENDED, C.SUSPEND, date(2020, 10, 5)),
    StateChange(S.CANCELLED, C.CANCEL, date(2021, 4, 12)),
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2020, 5, 14), None),
        (date(2020, 5, 15), "active"),
        (date(2020, 10, 4), "active"),
        (date(2020, 10, 5), "suspended"),
        (date(2021, 4, 11), "suspended"),
        (date(2021, 4, 12), "cancelled"),
        (date(2025, 1, 1), "cancelled"),
    ],
)
def test_status_on(day: date, expected: str | None) -> None:
    assert status_on(HISTORY, day, valid_from=date(2020, 5, 15), valid_to=date(2021, 6, 30)) == expected


def test_validity_dates_decide_expiry_before_the_sweep() -> None:
    active = HISTORY[:1]
    assert status_on(active, date(2021, 7, 1), valid_from=date(2020, 5, 15), valid_to=date(2021, 6, 30)) == (
        "expired"
    )
    assert (
        status_on(active, date(2020, 5, 20), valid_from=date(2020, 6, 1), valid_to=date(2021, 6, 30))
        == "not_yet_valid"
    )
    assert state_as_of(active, date(2021, 7, 1)) is S.ACTIVE


def test_changes_cannot_be_backdated_before_the_last_one() -> None:
    check_effective_date(HISTORY[:2], date(2020, 10, 5))
    with pytest.raises(Conflict, match="before the permit's last change"):
        check_effective_date(HISTORY[:2], date(2020, 10, 4))


def test_due_for_expiry() -> None:
    assert due_for_expiry(S.ACTIVE, date(2021, 6, 30), date(2021, 7, 1))
    assert due_for_expiry(S.SUSPENDED, date(2021, 6, 30), date(2021, 7, 1))
    assert not due_for_expiry(S.ACTIVE, date(2021, 6, 30), date(2021, 6, 30))
    assert not due_for_expiry(S.CANCELLED, date(2021, 6, 30), date(2022, 1, 1))


def test_permit_lines_never_exceed_the_application() -> None:
    check_lines_within({1: 7}, {1: 7})
    with pytest.raises(QuantityExceeded) as err:
        check_lines_within({1: 8, 2: 1, 3: 0}, {1: 7, 3: 5})
    fields = [p.field for p in err.value.problems]
    assert fields == ["lines[1].quantity", "lines[2]", "lines[3].quantity"]
    with pytest.raises(QuantityExceeded):
        check_lines_within({}, {1: 7})
