"""Issue 11: an import that empties a list, or shrinks it by more than the configured share, is held
for confirmation (recorded in the audit log), never applied silently; confirmed, it applies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exportguard.db.models import AuditEvent, ListSnapshot
from exportguard.domain.access import Actor, Role
from exportguard.domain.screening.diff import shrink_needing_confirmation
from exportguard.services.screening import commands as screening
from exportguard.services.system import ExportGuard
from tests.integration.services.screening.test_screening import count, listed, parsed

DIRECTOR = Actor("director", Role.DIRECTOR)
FOUR = parsed(*(listed(str(n), f"Trading House {n}") for n in range(1, 5)))


def _import(eg: ExportGuard, entries: object, confirm: str | None = None) -> screening.ImportView:
    with eg.uow(DIRECTOR) as uow:
        return screening.import_list(uow, entries, confirm=confirm)  # type: ignore[arg-type]


def test_a_list_shrunk_past_the_share_is_held_until_confirmed(eg: ExportGuard) -> None:
    _import(eg, FOUR)
    one = parsed(listed("1", "Trading House 1"))
    with pytest.raises(screening.ImportHeld) as held:
        _import(eg, one)
    assert held.value.status == 409 and [p.field for p in held.value.problems] == ["confirm"]
    assert one.content_hash in str(held.value) and "75%" in str(held.value)
    assert count(eg, ListSnapshot) == 1
    with eg.read() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.command == "hold_sanctions_list_import")
        ).one()
    assert "removes 3 of 4" in event.reason
    with pytest.raises(screening.ImportHeld):
        _import(eg, one, confirm="not-the-hash")
    applied = _import(eg, one, confirm=one.content_hash)
    assert (applied.created, applied.removed) == (True, 3)


def test_an_empty_file_is_held(eg: ExportGuard) -> None:
    _import(eg, FOUR)
    with pytest.raises(screening.ImportHeld) as held:
        _import(eg, parsed())
    assert "no entries" in str(held.value)
    assert count(eg, ListSnapshot) == 1


def test_a_small_shrink_applies_at_once(eg: ExportGuard) -> None:
    _import(eg, FOUR)
    three = parsed(*(listed(str(n), f"Trading House {n}") for n in range(1, 4)))
    assert _import(eg, three).removed == 1  # 25%: not more than the share


@pytest.mark.parametrize(
    ("before", "after", "removed", "held"),
    [
        (0, 0, 0, True),
        (0, 5, 0, False),
        (10, 0, 10, True),
        (10, 7, 3, True),
        (10, 8, 2, False),
        (10, 12, 2, False),
    ],
)
def test_shrink_rule(before: int, after: int, removed: int, held: bool) -> None:
    assert (shrink_needing_confirmation(before, after, removed, 0.25) is not None) is held
