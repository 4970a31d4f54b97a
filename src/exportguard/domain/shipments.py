"""Shipments drawn against a permit: resubmission, reversal and the refusal of an export.

EPR s.5-6: the border checks the permit against the declaration (see authorisation.py). A recorded
shipment is never edited: a return or a correction is a new, reversing entry that gives back all or
part of an earlier one (EIPA s.10.1-10.3: records are kept and can be inspected as they were).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from exportguard.domain.authorisation import Reason
from exportguard.domain.errors import Conflict, InvalidInput, Problem
from exportguard.domain.messages import N_, message

NOT_AUTHORISED = message("border.not_authorised", N_("export against permit %(permit)s not authorised"))


class ExportNotAuthorised(Conflict):
    """EIPA s.13: the export is not covered by the permit; every reason is listed."""

    title = "Export not authorised (EIPA s.13)"

    @classmethod
    def because(cls, permit: str, reasons: Sequence[Reason]) -> ExportNotAuthorised:
        return cls(
            str(NOT_AUTHORISED(permit=permit)),
            [Problem(r.field, r.message, r.said) for r in reasons],
            said=NOT_AUTHORISED(permit=permit),
        )


@dataclass(frozen=True)
class DeclaredLine:
    line_no: int
    quantity: int
    value: Decimal


@dataclass(frozen=True)
class Declaration:
    """What a declaration says, to compare a resubmission with what was recorded."""

    permit_id: int
    shipped_on: date
    port: str
    lines: tuple[DeclaredLine, ...]


def first_difference(recorded: Declaration, again: Declaration) -> Problem | None:
    """The first field in which a resubmitted declaration differs from the recorded one."""
    for name in ("permit_id", "shipped_on", "port"):
        if getattr(recorded, name) != getattr(again, name):
            return Problem(name, f"differs from the recorded {getattr(recorded, name)}")
    mine = sorted(recorded.lines, key=lambda ln: ln.line_no)
    theirs = sorted(again.lines, key=lambda ln: ln.line_no)
    if [ln.line_no for ln in mine] != [ln.line_no for ln in theirs]:
        return Problem("lines", f"recorded with lines {[ln.line_no for ln in mine]}")
    for n, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        for name in ("quantity", "value"):
            if getattr(a, name) != getattr(b, name):
                return Problem(f"lines[{n}].{name}", f"differs from the recorded {getattr(a, name)}")
    return None


def check_resubmission(declaration_id: str, recorded: Declaration, again: Declaration) -> None:
    """STYLE 13: the same declaration again is harmless; reused with other content it is a conflict."""
    problem = first_difference(recorded, again)
    if problem is not None:
        raise Conflict(
            f"declaration {declaration_id} is already recorded with a different {problem.field}",
            [Problem("declaration_id", "already recorded for a different shipment"), problem],
        )


def check_reversal(
    wanted: Mapping[int, int], still_shipped: Mapping[int, int], *, field: str = "lines"
) -> None:
    """A reversal gives back at most what the original entry still has on each line."""
    if not wanted:
        raise InvalidInput.of(field, "nothing to reverse: the shipment is already fully reversed")
    problems = []
    for line_no, qty in sorted(wanted.items()):
        at = f"{field}[{line_no}]"
        if line_no not in still_shipped:
            problems.append(Problem(at, "the original shipment has no such line"))
        elif qty <= 0:
            problems.append(Problem(f"{at}.quantity", "must be positive"))
        elif qty > still_shipped[line_no]:
            problems.append(
                Problem(f"{at}.quantity", f"{qty} is above the {still_shipped[line_no]} still shipped")
            )
    if problems:
        raise InvalidInput("the reversal gives back more than was shipped", problems)
