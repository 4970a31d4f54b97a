"""Separation of duties: the reversal request's transition table for every (state, command) pair,
and the per-account rules."""

from __future__ import annotations

import pytest

from exportguard.domain.duties import (
    REVERSAL_REQUEST_TRANSITIONS,
    ReversalRequestCommand,
    ReversalRequestState,
    SelfApproval,
    check_not_prepared_by,
    check_not_self_approved,
    next_request_state,
)
from exportguard.domain.errors import IllegalTransition

S, C = ReversalRequestState, ReversalRequestCommand


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("command", list(C))
def test_every_state_and_command(state: ReversalRequestState, command: ReversalRequestCommand) -> None:
    allowed = {(S.REQUESTED, C.APPROVE): S.APPROVED, (S.REQUESTED, C.REFUSE): S.REFUSED}
    assert allowed == REVERSAL_REQUEST_TRANSITIONS
    if (state, command) in allowed:
        assert next_request_state(state, command) is allowed[(state, command)]
    else:
        with pytest.raises(IllegalTransition):
            next_request_state(state, command)


def test_the_same_account_never_asks_and_takes() -> None:
    check_not_self_approved("exporter.wescam", "officer.leblanc")
    check_not_prepared_by("director.dupuis", "minister.champagne")
    with pytest.raises(SelfApproval) as asked:
        check_not_self_approved("j.tremblay", "j.tremblay")
    assert asked.value.status == 403 and asked.value.problems[0].field == "requested_by"
    with pytest.raises(SelfApproval):
        check_not_prepared_by("minister.champagne", "minister.champagne")
