"""The allegation, investigation, request and recommended-act tables, pair by pair (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from exportguard.domain.errors import Conflict, IllegalTransition, InvalidInput
from exportguard.domain.investigations import (
    ActionCommand,
    ActionState,
    AllegationCommand,
    AllegationState,
    ConsultationCommand,
    ConsultationState,
    InvestigationCommand,
    InvestigationState,
    Outcome,
    TimelineEntry,
    check_action_permits,
    check_close,
    next_action_state,
    next_allegation_state,
    next_consultation_state,
    next_investigation_state,
    timeline,
)

S, C = InvestigationState, InvestigationCommand
GATHER = (C.ADD_EVIDENCE, C.ASK_QUESTION, C.CONSULT)
FIND = (C.RECORD_FINDING, C.FIND_ASSURANCE_BREACHED)
# The investigation's table written out by hand: what each state accepts and where it leads.
EXPECTED: dict[tuple[InvestigationState, InvestigationCommand], InvestigationState] = {
    **{(s, C.ASSIGN): s for s in (S.OPENED, S.GATHERING_EVIDENCE, S.FINDINGS)},
    **{(s, C.RECORD_RESPONSE): s for s in (S.OPENED, S.GATHERING_EVIDENCE, S.FINDINGS)},
    **{(S.OPENED, c): S.GATHERING_EVIDENCE for c in GATHER},
    **{(S.GATHERING_EVIDENCE, c): S.GATHERING_EVIDENCE for c in GATHER},
    (S.FINDINGS, C.ADD_EVIDENCE): S.FINDINGS,
    **{(S.GATHERING_EVIDENCE, c): S.FINDINGS for c in FIND},
    **{(S.FINDINGS, c): S.FINDINGS for c in FIND},
    (S.FINDINGS, C.RECOMMEND_ACTION): S.FINDINGS,
    (S.FINDINGS, C.EXECUTE_ACTION): S.FINDINGS,
    (S.OPENED, C.CLOSE): S.CLOSED,
    (S.GATHERING_EVIDENCE, C.CLOSE): S.CLOSED,
    (S.FINDINGS, C.CLOSE): S.CLOSED,
}


@pytest.mark.parametrize("state", list(InvestigationState))
@pytest.mark.parametrize("command", list(InvestigationCommand))
def test_investigation_every_pair(state: InvestigationState, command: InvestigationCommand) -> None:
    if (state, command) in EXPECTED:
        assert next_investigation_state(state, command) is EXPECTED[(state, command)]
    else:
        with pytest.raises(IllegalTransition):
            next_investigation_state(state, command)


@pytest.mark.parametrize("state", list(AllegationState))
@pytest.mark.parametrize("command", list(AllegationCommand))
def test_allegation_triaged_once(state: AllegationState, command: AllegationCommand) -> None:
    expected = {
        (AllegationState.RECEIVED, AllegationCommand.DISMISS): AllegationState.DISMISSED,
        (AllegationState.RECEIVED, AllegationCommand.OPEN_INVESTIGATION): AllegationState.INVESTIGATED,
    }
    if (state, command) in expected:
        assert next_allegation_state(state, command) is expected[(state, command)]
    else:
        with pytest.raises(IllegalTransition):
            next_allegation_state(state, command)


@pytest.mark.parametrize("state", list(ConsultationState))
@pytest.mark.parametrize("command", list(ConsultationCommand))
def test_request_answered_or_refused_once(state: ConsultationState, command: ConsultationCommand) -> None:
    if state is ConsultationState.REQUESTED:
        assert (
            next_consultation_state(state, command).value
            == {"answer": "answered", "refuse": "refused"}[command]
        )
    else:
        with pytest.raises(IllegalTransition):
            next_consultation_state(state, command)


@pytest.mark.parametrize("state", list(ActionState))
@pytest.mark.parametrize("command", list(ActionCommand))
def test_recommended_act_executed_or_withdrawn_once(state: ActionState, command: ActionCommand) -> None:
    if state is ActionState.RECOMMENDED:
        assert (
            next_action_state(state, command).value
            == {"execute": "executed", "withdraw": "withdrawn"}[command]
        )
    else:
        with pytest.raises(IllegalTransition):
            next_action_state(state, command)


def test_close_outcome_matches_what_was_done() -> None:
    check_close(S.FINDINGS, Outcome.ACTION_TAKEN, pending_actions=0, executed_actions=1)
    check_close(S.OPENED, Outcome.INSUFFICIENT_EVIDENCE, pending_actions=0, executed_actions=0)
    with pytest.raises(Conflict, match="not yet executed"):
        check_close(S.FINDINGS, Outcome.ACTION_TAKEN, pending_actions=1, executed_actions=1)
    with pytest.raises(Conflict, match="no act was executed"):
        check_close(S.FINDINGS, Outcome.ACTION_TAKEN, pending_actions=0, executed_actions=0)
    with pytest.raises(Conflict, match="acts were executed"):
        check_close(S.FINDINGS, Outcome.NO_BREACH_FOUND, pending_actions=0, executed_actions=2)
    with pytest.raises(Conflict, match="needs findings"):
        check_close(S.GATHERING_EVIDENCE, Outcome.NO_BREACH_FOUND, pending_actions=0, executed_actions=0)
    with pytest.raises(IllegalTransition):
        check_close(S.CLOSED, Outcome.INSUFFICIENT_EVIDENCE, pending_actions=0, executed_actions=0)


def test_action_permits_named_and_known() -> None:
    check_action_permits(["EXP-1"], ["EXP-1", "EXP-2"])
    with pytest.raises(InvalidInput, match="at least one"):
        check_action_permits([], ["EXP-1"])
    with pytest.raises(InvalidInput, match="EXP-9"):
        check_action_permits(["EXP-1", "EXP-9"], ["EXP-1"])


def test_timeline_in_date_order_then_in_the_order_things_happen_on_a_day() -> None:
    day = date(2021, 4, 12)
    entries = [
        TimelineEntry(day, "closed", "closed", "o"),
        TimelineEntry(day, "executed", "cancel", "m"),
        TimelineEntry(date(2020, 9, 28), "allegation", "report", "public"),
        TimelineEntry(day, "finding", "yes", "o"),
    ]
    assert [e.kind for e in timeline(entries)] == ["allegation", "finding", "executed", "closed"]
