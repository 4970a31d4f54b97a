"""The own-organisation rule as SQL: the one place it is written for queries.

Each aggregate's visibility module (``services/<context>/visibility.py``) names the column that
holds its owner and asks here; the same rule for one loaded record is ``Actor.sees``
(domain/access.py). tests/test_code_quality.py fails if the rule is written by hand elsewhere.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import InstrumentedAttribute

from exportguard.domain.access import Actor


def owned_by_actor(actor: Actor, owner: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    """A WHERE clause keeping the rows ``actor`` may see, given the column naming their owner."""
    if not actor.limited_to_own_records:
        return true()
    if actor.organisation_id is None:
        return false()
    return owner == actor.organisation_id
