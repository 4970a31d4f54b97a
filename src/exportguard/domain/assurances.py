"""End-use assurances, post-shipment verification, and the diversion flag a breach raises.

EPR s.3(2)(h) and s.3(3)(a): an application carries end-use evidence and a no-diversion
declaration; a government may also give its assurance in a diplomatic note or orally (the Turkish
Foreign Minister's assurance of April 2020 was reportedly given by telephone). ATT Art. 11(2):
assurances mitigate the risk of diversion; Art. 11(4): detected diversion is followed up. A breach
found by an investigation marks the destination, the consignee and the end user so that every later
determination, assessment, screening and border check shows it, with its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from exportguard.domain.errors import Conflict, IllegalTransition, InvalidInput, Problem


class AssuranceForm(StrEnum):
    WRITTEN_CERTIFICATE = "written_certificate"  # an end-use certificate or statement
    DIPLOMATIC_NOTE = "diplomatic_note"
    ORAL = "oral_assurance"  # recorded in a note by whoever received it


class AssuranceState(StrEnum):
    GIVEN = "given"
    BREACHED = "breached"


class CheckState(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class CheckCommand(StrEnum):
    RECORD_RESULT = "record_result"
    CANCEL = "cancel"


# Post-shipment verification (cf. US Blue Lantern, Germany's on-site checks since 2016):
# a check is planned, then done with its result, or called off.
CHECK_TRANSITIONS: dict[tuple[CheckState, CheckCommand], CheckState] = {
    (CheckState.PLANNED, CheckCommand.RECORD_RESULT): CheckState.DONE,
    (CheckState.PLANNED, CheckCommand.CANCEL): CheckState.CANCELLED,
}


def next_check_state(state: CheckState, command: CheckCommand) -> CheckState:
    try:
        return CHECK_TRANSITIONS[(state, command)]
    except KeyError:
        raise IllegalTransition("the verification check", state.value, command.value) from None


class CheckResult(StrEnum):
    GOODS_IN_PLACE = "goods_in_place"
    GOODS_NOT_FOUND = "goods_not_found"
    DIVERTED = "diverted"
    ACCESS_REFUSED = "access_refused"


class FlagSubject(StrEnum):
    DESTINATION = "destination"
    CONSIGNEE = "consignee"
    END_USER = "end_user"


@dataclass(frozen=True)
class Promises:
    """What the assurance promises: the end use, the end user, where used, no re-export."""

    end_use: str = ""
    end_user: str = ""
    where_used: str = ""
    no_reexport_without_consent: bool = False

    def is_empty(self) -> bool:
        return not (self.end_use or self.end_user or self.where_used or self.no_reexport_without_consent)


def check_assurance(form: AssuranceForm, promises: Promises, note: str) -> None:
    if promises.is_empty():
        raise InvalidInput.of(
            "promises", "an assurance promises something (end use, end user, where used...)"
        )
    if form is AssuranceForm.ORAL and not note.strip():
        raise InvalidInput.of("note", "an oral assurance is recorded in a note saying who said what, to whom")


def check_breach(state: AssuranceState) -> None:
    if state is AssuranceState.BREACHED:
        raise Conflict("the assurance is already found breached", [Problem("assurance", "already breached")])
