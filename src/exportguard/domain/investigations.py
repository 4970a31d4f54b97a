"""Allegations and investigations: triage, the investigation's lifecycle, its questions and requests.

An allegation (from an NGO, the media, a foreign government, a diaspora organisation, a
whistle-blower or customs) is triaged once: dismissed with a reason, or opened as an
investigation. The investigation moves opened -> gathering evidence -> findings -> closed with an
outcome; every command it accepts is a row of one table (STYLE 3). ATT Art. 11(4): when diversion
is detected, examine it and follow up through investigation; Art. 7(7): reassess an authorisation
on new information. EIPA s.10(1) is the power its recommended acts are executed under.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from exportguard.domain.errors import Conflict, IllegalTransition, InvalidInput, Problem


class SourceKind(StrEnum):
    NGO = "ngo"
    MEDIA = "media"
    FOREIGN_GOVERNMENT = "foreign_government"
    DIASPORA_ORGANISATION = "diaspora_organisation"
    WHISTLE_BLOWER = "whistle_blower"
    CUSTOMS = "customs"


class ConcernKind(StrEnum):
    """What an allegation concerns: a permit, a product, a party, a destination, a third country or
    a conflict (e.g. "Nagorno-Karabakh")."""

    PERMIT = "permit"
    PRODUCT = "product"
    PARTY = "party"
    DESTINATION = "destination"
    THIRD_COUNTRY = "third_country"
    CONFLICT = "conflict"


class AllegationState(StrEnum):
    RECEIVED = "received"
    DISMISSED = "dismissed"
    INVESTIGATED = "investigated"


class AllegationCommand(StrEnum):
    DISMISS = "dismiss"
    OPEN_INVESTIGATION = "open_investigation"


# Triage happens once: a dismissed allegation stays dismissed (a new allegation is filed instead),
# and one that led to an investigation is followed there.
ALLEGATION_TRANSITIONS: dict[tuple[AllegationState, AllegationCommand], AllegationState] = {
    (AllegationState.RECEIVED, AllegationCommand.DISMISS): AllegationState.DISMISSED,
    (AllegationState.RECEIVED, AllegationCommand.OPEN_INVESTIGATION): AllegationState.INVESTIGATED,
}


def next_allegation_state(state: AllegationState, command: AllegationCommand) -> AllegationState:
    try:
        return ALLEGATION_TRANSITIONS[(state, command)]
    except KeyError:
        raise IllegalTransition("the allegation", state.value, command.value) from None


class InvestigationState(StrEnum):
    OPENED = "opened"
    GATHERING_EVIDENCE = "gathering_evidence"
    FINDINGS = "findings"
    CLOSED = "closed"


class InvestigationCommand(StrEnum):
    ASSIGN = "assign"
    ADD_EVIDENCE = "add_evidence"
    ASK_QUESTION = "ask_question"
    CONSULT = "consult"
    RECORD_RESPONSE = "record_response"
    RECORD_FINDING = "record_finding"
    FIND_ASSURANCE_BREACHED = "find_assurance_breached"
    RECOMMEND_ACTION = "recommend_action"
    EXECUTE_ACTION = "execute_action"
    CLOSE = "close"


IS = InvestigationState
IC = InvestigationCommand

_OPEN = (IS.OPENED, IS.GATHERING_EVIDENCE)
_LIVE = (IS.OPENED, IS.GATHERING_EVIDENCE, IS.FINDINGS)


def _table() -> dict[tuple[InvestigationState, InvestigationCommand], InvestigationState]:
    table: dict[tuple[InvestigationState, InvestigationCommand], InvestigationState] = {}
    for state in _LIVE:
        # Investigators may be assigned at any time before closing; late evidence and answers
        # (a refusal to answer may come after the findings) are still recorded, state unchanged.
        table[(state, IC.ASSIGN)] = state
        table[(state, IC.RECORD_RESPONSE)] = state
    for state in _OPEN:
        # Gathering: evidence, questions and requests to departments or foreign governments.
        table[(state, IC.ADD_EVIDENCE)] = IS.GATHERING_EVIDENCE
        table[(state, IC.ASK_QUESTION)] = IS.GATHERING_EVIDENCE
        table[(state, IC.CONSULT)] = IS.GATHERING_EVIDENCE
    table[(IS.FINDINGS, IC.ADD_EVIDENCE)] = IS.FINDINGS
    # Findings answer the questions asked; a breach of an end-use assurance is one of them.
    for state in (IS.GATHERING_EVIDENCE, IS.FINDINGS):
        table[(state, IC.RECORD_FINDING)] = IS.FINDINGS
        table[(state, IC.FIND_ASSURANCE_BREACHED)] = IS.FINDINGS
    # Acts are recommended on findings, executed by the Minister (EIPA s.10(1)), then closed.
    table[(IS.FINDINGS, IC.RECOMMEND_ACTION)] = IS.FINDINGS
    table[(IS.FINDINGS, IC.EXECUTE_ACTION)] = IS.FINDINGS
    table[(IS.FINDINGS, IC.CLOSE)] = IS.CLOSED
    # Closed without findings only when nothing came of it (see check_close).
    for state in _OPEN:
        table[(state, IC.CLOSE)] = IS.CLOSED
    return table


INVESTIGATION_TRANSITIONS = _table()


def next_investigation_state(state: InvestigationState, command: InvestigationCommand) -> InvestigationState:
    try:
        return INVESTIGATION_TRANSITIONS[(state, command)]
    except KeyError:
        raise IllegalTransition("the investigation", state.value, command.value) from None


class Finding(StrEnum):
    """The answer to a question such as "were Canadian goods used in the conflict?"."""

    YES = "yes"
    NO = "no"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"


class Outcome(StrEnum):
    ACTION_TAKEN = "action_taken"
    NO_BREACH_FOUND = "no_breach_found"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"
    REFERRED_FOR_ENFORCEMENT = "referred_for_enforcement"  # EIPA s.19; ATT Art. 11(4)


def check_close(
    state: InvestigationState, outcome: Outcome, *, pending_actions: int, executed_actions: int
) -> None:
    """An outcome must be what the record shows: acts taken were executed, none is left pending."""
    next_investigation_state(state, IC.CLOSE)
    if pending_actions:
        raise Conflict(
            f"{pending_actions} recommended act(s) not yet executed or withdrawn",
            [Problem("outcome", "execute or withdraw the recommended acts first")],
        )
    if (outcome is Outcome.ACTION_TAKEN) != (executed_actions > 0):
        message = "no act was executed" if executed_actions == 0 else "acts were executed on the findings"
        raise Conflict(f"outcome {outcome.value}: {message}", [Problem("outcome", message)])
    if state is not IS.FINDINGS and outcome is not Outcome.INSUFFICIENT_EVIDENCE:
        raise Conflict(
            f"outcome {outcome.value} needs findings; without them the outcome is insufficient_evidence",
            [Problem("outcome", "record findings first")],
        )


class ConsultationKind(StrEnum):
    DEPARTMENT = "department"  # e.g. National Defence
    FOREIGN_GOVERNMENT = "foreign_government"  # ATT Art. 11(3): cooperation and information exchange


class ConsultationState(StrEnum):
    REQUESTED = "requested"
    ANSWERED = "answered"
    REFUSED = "refused"


class ConsultationCommand(StrEnum):
    ANSWER = "answer"
    REFUSE = "refuse"


CONSULTATION_TRANSITIONS: dict[tuple[ConsultationState, ConsultationCommand], ConsultationState] = {
    (ConsultationState.REQUESTED, ConsultationCommand.ANSWER): ConsultationState.ANSWERED,
    (ConsultationState.REQUESTED, ConsultationCommand.REFUSE): ConsultationState.REFUSED,
}


def next_consultation_state(state: ConsultationState, command: ConsultationCommand) -> ConsultationState:
    try:
        return CONSULTATION_TRANSITIONS[(state, command)]
    except KeyError:
        raise IllegalTransition("the request", state.value, command.value) from None


class ActionKind(StrEnum):
    """The ministerial acts an investigation may recommend (EIPA s.10(1))."""

    SUSPEND = "suspend"
    CANCEL = "cancel"
    REINSTATE = "reinstate"


class ActionState(StrEnum):
    RECOMMENDED = "recommended"
    EXECUTED = "executed"
    WITHDRAWN = "withdrawn"


class ActionCommand(StrEnum):
    EXECUTE = "execute"
    WITHDRAW = "withdraw"


ACTION_TRANSITIONS: dict[tuple[ActionState, ActionCommand], ActionState] = {
    (ActionState.RECOMMENDED, ActionCommand.EXECUTE): ActionState.EXECUTED,
    (ActionState.RECOMMENDED, ActionCommand.WITHDRAW): ActionState.WITHDRAWN,
}


def next_action_state(state: ActionState, command: ActionCommand) -> ActionState:
    try:
        return ACTION_TRANSITIONS[(state, command)]
    except KeyError:
        raise IllegalTransition("the recommended act", state.value, command.value) from None


def check_action_permits(numbers: Iterable[str], known: Iterable[str], *, field: str = "permits") -> None:
    """A recommended act names exactly the permits it concerns, each a permit of the register."""
    wanted = list(numbers)
    if not wanted:
        raise InvalidInput.of(field, "name at least one permit")
    missing = sorted(set(wanted) - set(known))
    if missing:
        raise InvalidInput.of(field, f"no such permit: {', '.join(missing[:10])}")


def check_question_open(finding: Finding | None, *, question_no: int) -> None:
    if finding is not None:
        raise Conflict(
            f"question {question_no} already has its finding ({finding.value})",
            [Problem("finding", "a finding is recorded once; ask a further question instead")],
        )


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line of an investigation's story (allegation, evidence, request, finding, act)."""

    on: date
    kind: str
    summary: str
    by: str
    ref: str = ""


def timeline(entries: Iterable[TimelineEntry]) -> list[TimelineEntry]:
    """The whole story in date order; on one day, in the order the kinds happen in a case."""
    order = {k: n for n, k in enumerate(KIND_ORDER)}
    return sorted(entries, key=lambda e: (e.on, order.get(e.kind, len(order))))


KIND_ORDER = (
    "allegation",
    "triage",
    "opened",
    "assigned",
    "question",
    "evidence",
    "consultation",
    "response",
    "finding",
    "assurance_breached",
    "recommended",
    "executed",
    "withdrawn",
    "closed",
)
