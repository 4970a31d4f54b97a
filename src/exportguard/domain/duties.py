"""Separation of duties (issue 10): who asked for or prepared a step never takes it.

- A reversal of a recorded export is requested by the exporter and approved by an official
  (an officer, or customs who recorded it): never by the account that requested it.
- A minister's act (EIPA s.10(1)) is never taken by the official who prepared it: whoever saved
  the scope of a bulk act does not execute it.
Roles already keep most of these apart; these rules hold them apart per account as well.
"""

from __future__ import annotations

from enum import StrEnum

from exportguard.domain.errors import IllegalTransition, NotPermitted, Problem


class SelfApproval(NotPermitted):
    """The account that asked for (or prepared) a step may not take it itself."""

    def __init__(self, what: str, field: str) -> None:
        super().__init__(
            f"{what} was asked for or prepared by the same account: another official must take it",
            [Problem(field, "the same account may not ask for and take this step")],
        )


def check_not_self_approved(requested_by: str, deciding: str, *, what: str = "the reversal") -> None:
    if requested_by == deciding:
        raise SelfApproval(what, "requested_by")


def check_not_prepared_by(prepared_by: str, acting: str, *, what: str = "the act") -> None:
    if prepared_by == acting:
        raise SelfApproval(what, "prepared_by")


class ReversalRequestState(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"


class ReversalRequestCommand(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"


S, C = ReversalRequestState, ReversalRequestCommand
REVERSAL_REQUEST_TRANSITIONS: dict[
    tuple[ReversalRequestState, ReversalRequestCommand], ReversalRequestState
] = {
    (S.REQUESTED, C.APPROVE): S.APPROVED,
    (S.REQUESTED, C.REFUSE): S.REFUSED,
}


def next_request_state(state: ReversalRequestState, command: ReversalRequestCommand) -> ReversalRequestState:
    try:
        return REVERSAL_REQUEST_TRANSITIONS[(state, command)]
    except KeyError:
        raise IllegalTransition("the reversal request", state.value, command.value) from None
