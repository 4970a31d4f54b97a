"""Shipments drawn against a permit: the checks made before an export is recorded.

EPR s.5-6: at export the permit is presented to the border, which checks that it is valid and
matches the declaration. The permit must be in force on the day of shipment, and what is shipped
never exceeds what remains on each permit line.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from exportguard.domain.errors import Conflict, InvalidInput, Problem, QuantityExceeded
from exportguard.domain.permits import PermitState


def check_permit_in_force(
    number: str, status: str | None, shipped_on: date, *, field: str = "shipped_on"
) -> None:
    """Refuse a shipment unless the permit was active on the shipment date (EIPA s.13)."""
    if status != PermitState.ACTIVE.value:
        said = status or "not yet issued"
        raise Conflict(
            f"permit {number} was {said} on {shipped_on}: the shipment is not authorised",
            [Problem(field, f"permit {number} was {said} on {shipped_on}")],
        )


def check_within_remaining(
    requested: Mapping[int, int], remaining: Mapping[int, int], *, field: str = "lines"
) -> None:
    """Every line names a permit line and ships a positive quantity not above what remains."""
    if not requested:
        raise InvalidInput.of(field, "a shipment needs at least one line")
    problems: list[Problem] = []
    for line_no, qty in sorted(requested.items()):
        at = f"{field}[{line_no}]"
        if line_no not in remaining:
            problems.append(Problem(at, "no such line on the permit"))
        elif qty <= 0:
            problems.append(Problem(f"{at}.quantity", "must be a positive integer"))
        elif qty > remaining[line_no]:
            problems.append(Problem(f"{at}.quantity", f"{qty} is above the {remaining[line_no]} remaining"))
    if problems:
        raise QuantityExceeded("the shipment exceeds what remains on the permit", problems)
