"""Complementary suppression: no withheld value in the published tables can be worked out by subtraction."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from exportguard.domain.transparency import (
    Cell,
    DisclosurePolicy,
    ExportRow,
    PublishedTables,
    protect,
    totals,
)

REGIONS = {
    "TR": "Europe",
    "DE": "Europe",
    "FR": "Europe",
    "SA": "Middle East",
    "AE": "Middle East",
    "IN": "Asia",
}
POLICY = DisclosurePolicy(min_exporters=3, threshold=Decimal("1000000"))


def _tables(rows: list[ExportRow]) -> PublishedTables:
    return PublishedTables(
        totals(rows, ("destination",), policy=POLICY),
        totals(rows, ("region",), regions=REGIONS, policy=POLICY),
        totals(rows, ("destination", "item_code"), policy=POLICY),
    )


def _row(dest: str, item: str, exporter: int, value: int) -> ExportRow:
    return ExportRow(dest, item, "CAD", exporter, 1, Decimal(value), 1)


def _withheld(cells: list[Cell]) -> set[tuple[str, ...]]:
    return {c.key for c in cells if c.withheld}


def test_a_lone_withheld_item_takes_a_second_item_of_its_destination_with_it() -> None:
    rows = [_row("TR", "2-15", 1, 9_000_000), _row("TR", "2-5", 2, 40_000), _row("TR", "2-10", 3, 600_000)]
    plain = _tables(rows)
    assert _withheld(plain.by_destination_and_item) == {
        ("TR", "2-5"),
        ("TR", "2-10"),
    }  # both under both rules
    rows = [_row("TR", "2-15", 1, 9_000_000), _row("TR", "2-15", 2, 1), _row("TR", "2-15", 3, 1)]
    rows += [_row("TR", "2-5", 4, 40_000), _row("TR", "2-10", 5, 2_000_000)]
    protected = protect(_tables(rows), REGIONS)
    # 2-5 alone would be TR's total less the others; the smallest published item goes with it.
    assert _withheld(protected.by_destination_and_item) == {("TR", "2-5"), ("TR", "2-10")}
    assert not _withheld(protected.by_destination)


def test_a_lone_withheld_destination_of_a_region_takes_another_with_it() -> None:
    rows = [_row("TR", "2-15", 1, 5_000_000), _row("DE", "2-15", 2, 3_000_000), _row("FR", "2-15", 3, 50_000)]
    rows += [_row("SA", "2-15", 4, 7_000_000)]
    protected = protect(_tables(rows), REGIONS)
    assert _withheld(protected.by_destination) == {("FR",), ("DE",)}


def test_the_officials_tables_are_left_alone_when_nothing_is_withheld() -> None:
    rows = [_row("TR", "2-15", 1, 5_000_000), _row("DE", "2-15", 2, 3_000_000)]
    tables = _tables(rows)
    assert protect(tables, REGIONS) == tables


rows_strategy = st.lists(
    st.builds(
        _row,
        st.sampled_from(sorted(REGIONS)),
        st.sampled_from(["2-1", "2-5", "2-15"]),
        st.integers(1, 5),
        st.integers(1, 3_000_000),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(rows_strategy)
def test_no_sum_has_a_single_withheld_member(rows: list[ExportRow]) -> None:
    """Every published sum (national total, region, destination) has zero or at least two withheld
    members, and what the disclosure rule withheld stays withheld."""
    plain = _tables(rows)
    t = protect(plain, REGIONS)
    dest = {c.key[0]: c for c in t.by_destination}
    region = {c.key[0]: c for c in t.by_region}
    sums: list[list[bool]] = [
        [c.withheld for c in t.by_destination],
        [c.withheld for c in t.by_region],
    ]
    for name, r in region.items():
        sums.append([r.withheld, *(c.withheld for d, c in dest.items() if REGIONS[d] == name)])
    for code, d in dest.items():
        sums.append([d.withheld, *(c.withheld for c in t.by_destination_and_item if c.key[0] == code)])
    for members in sums:
        if len(members) > 1 or members == [False]:
            assert sum(members) != 1, members
    for before, after in (
        (plain.by_destination, t.by_destination),
        (plain.by_destination_and_item, t.by_destination_and_item),
    ):
        assert _withheld(before) <= _withheld(after)
