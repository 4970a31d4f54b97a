"""Verifying a permit document: is the version printed on it in force today, and since when?

Whoever holds the document may ask, without signing in (a border officer abroad, a bank, a freight
forwarder). The answer confirms only what the document already shows or what its holder is owed:
number, version, state and dates. Quantities, values and parties are never part of it, so a link
that leaks tells nothing confidential. The link carries a code taken from the audit event that
issued that version (the SHA-256 of the chained event), so permits cannot be enumerated by number.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from exportguard.domain.permits import PermitState, StateChange, status_on

# 16 hex digits: 64 bits, enough that guessing a code is hopeless, short enough for a QR code.
CODE_LENGTH = 16
NOT_YET_VALID = "not_yet_valid"


def code_of(issue_event_hash: str) -> str:
    """The verification code printed on a permit version: the start of its issue event's hash."""
    return issue_event_hash[:CODE_LENGTH]


def code_matches(issue_event_hash: str, code: str) -> bool:
    """Compared in constant time: the answer's timing does not tell how much of a guess was right."""
    return hmac.compare_digest(code_of(issue_event_hash), code.strip().lower())


@dataclass(frozen=True)
class Standing:
    """What a verifier is told about one permit version on ``day``.

    ``since`` is the day the status began (the effective date of the act that caused it; for an
    expiry by date, the day after the last valid day); ``in_force`` is True only for ``active``.
    """

    status: str
    since: date | None
    day: date

    @property
    def in_force(self) -> bool:
        return self.status == PermitState.ACTIVE.value


def standing_on(history: Sequence[StateChange], day: date, *, valid_from: date, valid_to: date) -> Standing:
    status = status_on(history, day, valid_from=valid_from, valid_to=valid_to) or NOT_YET_VALID
    past = [c for c in history if c.effective_date <= day]
    if not past:
        return Standing(NOT_YET_VALID, None, day)
    since: date | None = past[-1].effective_date
    recorded = past[-1].state.value
    if status == PermitState.EXPIRED.value and recorded != status:
        since = valid_to + timedelta(days=1)  # EIPA s.12(a): lapsed after the date shown on it
    elif status == NOT_YET_VALID:
        since = None
    elif status == PermitState.ACTIVE.value and past[-1].effective_date < valid_from:
        since = valid_from
    return Standing(status, since, day)
