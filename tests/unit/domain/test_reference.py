"""The Export Control List reference data and ECL s.2 destination rules (pure)."""

from __future__ import annotations

import pytest

from exportguard.domain.reference import GROUPS, ITEMS_BY_CODE, group_of, is_military, permit_required


def test_groups_and_item_mappings() -> None:
    assert [g.number for g in GROUPS] == list(range(1, 10))
    assert [ITEMS_BY_CODE[f"2-{n}"].wassenaar_ref for n in range(1, 23)] == [f"ML{n}" for n in range(1, 23)]
    assert [ITEMS_BY_CODE[f"9-{n}"].att_category for n in range(1, 10)] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "VIII",
    ]
    assert ITEMS_BY_CODE["2-21"].is_software and ITEMS_BY_CODE["2-22"].is_technology


@pytest.mark.parametrize(
    ("item", "destination", "required"),
    [
        ("2-15", "US", False),
        ("2-15", "TR", True),
        ("2-1", "US", True),
        ("2-2.a", "US", True),
        ("9-4", "US", True),
        ("1-6.A.3", "US", False),
        ("5504", "US", True),
    ],
)
def test_permit_required(item: str, destination: str, required: bool) -> None:
    assert permit_required(item, destination) is required


def test_groups_of_codes() -> None:
    assert (group_of("2-15"), group_of("9-4"), group_of("5504"), group_of("1-6.A.3")) == (2, 9, 5, 1)
    assert is_military("2-15") and is_military("9-1") and not is_military("1-6.A.3")
