"""Acts in date order (issue 11): nothing takes effect before the facts it rests on.

A decision rests on the submission, a permit's issue on the approval, each act on a record on the
record's previous act. The one exception the law makes is the retroactive permit (EIPA s.8.5: "a
permit may be retroactive if it so provides"): its validity may start before its issue, when the
permit says so with a reason, which is recorded. Pure rules: dates in, errors out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from exportguard.domain.errors import Conflict, InvalidInput, Problem

RETROACTIVE_BASIS = "EIPA s.8.5"


@dataclass(frozen=True)
class PriorAct:
    """The act a new one rests on: what it was, and the day it took effect."""

    what: str
    effective: date


def check_not_before(prior: PriorAct | None, day: date, field: str = "effective_date") -> None:
    """``day`` is on or after the act it rests on (the same day is in order)."""
    if prior is not None and day < prior.effective:
        raise Conflict(
            f"{field}: {day} is before the {prior.what} ({prior.effective}) that this act rests on",
            [Problem(field, f"must be on or after {prior.effective} ({prior.what})")],
        )


def check_validity_start(valid_from: date, issued_on: date, *, retroactive: bool, reason: str | None) -> None:
    """A permit is valid from its issue, or earlier only as a reasoned retroactive permit."""
    if valid_from < issued_on and not retroactive:
        raise InvalidInput.of(
            "valid_from",
            f"{valid_from} is before the issue date {issued_on}: a permit valid before its issue is "
            f"retroactive ({RETROACTIVE_BASIS}) and must say so (retroactive, with retroactive_reason)",
        )
    if retroactive and valid_from >= issued_on:
        raise InvalidInput.of("retroactive", f"valid from {valid_from}, not before its issue on {issued_on}")
    if retroactive and not (reason or "").strip():
        raise InvalidInput.of("retroactive_reason", f"a retroactive permit ({RETROACTIVE_BASIS}) says why")


# A customs declaration is lodged when the goods leave (EPR s.5-6); one dated further ahead than
# this is a mistake (a year typed wrong), not an export.
MAX_DAYS_AHEAD = 366


def check_not_far_ahead(day: date, today: date, field: str = "shipped_on") -> None:
    if (day - today).days > MAX_DAYS_AHEAD:
        raise InvalidInput.of(field, f"{day} is more than {MAX_DAYS_AHEAD} days after today ({today})")
