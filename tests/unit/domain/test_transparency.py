"""The transparency reports' rules: sums, the disclosure rule, ATT categories, the service standard."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from exportguard.domain.transparency import (
    DisclosurePolicy,
    ExportRow,
    ProcessingTime,
    att_mapping,
    in_report,
    is_us_controlled,
    service_standard,
    tabling_deadline,
    totals,
)

ROWS = [
    ExportRow("TR", "2-15", "CAD", 1, 6, Decimal("7200000.00"), 3),
    ExportRow("TR", "2-21", "CAD", 1, 7, Decimal("700000.00"), 1),
    ExportRow("SA", "2-6", "CAD", 2, 10, Decimal("500000.00"), 2),
    ExportRow("SA", "2-6", "CAD", 3, 5, Decimal("250000.00"), 1),
    ExportRow("SA", "2-6", "CAD", 4, 1, Decimal("50000.00"), 1),
    ExportRow("GB", "2-10", "USD", 5, 1, Decimal("999.00"), 1),
]


def test_totals_sum_rows_of_one_currency_by_any_key_largest_first() -> None:
    by_dest = totals(ROWS, ("destination",))
    assert [(c.key, c.quantity, c.value, c.exporters) for c in by_dest] == [
        (("TR",), 13, Decimal("7900000.00"), 1),
        (("SA",), 16, Decimal("800000.00"), 3),
    ]
    by_region = totals(ROWS, ("region",), regions={"TR": "Europe", "SA": "Middle East"})
    assert [c.key for c in by_region] == [("Europe",), ("Middle East",)]
    assert sum(c.value or 0 for c in totals(ROWS, ("destination", "item_code"))) == Decimal("8700000.00")
    assert [c.key for c in totals(ROWS, ("destination",), currency="USD")] == [("GB",)]


def test_a_value_is_withheld_when_few_exporters_stand_behind_a_small_figure() -> None:
    rule = DisclosurePolicy(min_exporters=3, threshold=Decimal("1000000"))
    cells = {c.key: c for c in totals(ROWS, ("destination", "item_code"), policy=rule)}
    assert cells[("TR", "2-15")].value == Decimal("7200000.00"), "above the threshold: published"
    assert cells[("TR", "2-21")].withheld, "one exporter, below the threshold: withheld"
    assert cells[("SA", "2-6")].value == Decimal("800000.00"), "three exporters: published"
    assert cells[("TR", "2-21")].quantity == 7, "the count is still published"
    assert not DisclosurePolicy(min_exporters=2).publishes(1, Decimal("-999999"))


MAPPING = {
    "categories": {
        "IV": {"name": "Combat aircraft", "subcategories": {"a": "manned", "b": "unmanned"}},
        "VIII": {"name": "Small arms and light weapons", "subcategories": {"SA": "small arms"}},
    },
    "items": {"2-10": {"category": "IV"}, "2-1": {"category": "VIII", "subcategory": "SA"}},
}


def test_att_categories_come_from_data_and_sub_items_report_as_their_parent() -> None:
    mapping = att_mapping(MAPPING)
    assert mapping.category_of("2-10").code == "IV"  # type: ignore[union-attr]
    assert mapping.category_of("2-1.a.3").subcategory_name == "small arms"  # type: ignore[union-attr]
    assert mapping.category_of("2-15") is None, "parts and components are not an Art. 2(1) category"
    with pytest.raises(ValueError, match="unknown ATT category"):
        att_mapping({**MAPPING, "items": {"2-4": {"category": "IX"}}})
    with pytest.raises(ValueError, match="no sub-category"):
        att_mapping({**MAPPING, "items": {"2-4": {"category": "IV", "subcategory": "z"}}})


def test_the_service_standard_counts_decisions_within_the_target() -> None:
    times = [
        ProcessingTime(f"A{n}", date(2020, 1, 1), date(2020, 1, 1 + d)) for n, d in enumerate((3, 9, 10, 30))
    ]
    s = service_standard(times, target_days=10)
    assert (s.decided, s.within, s.median_days, s.share_within, s.met) == (4, 3, 9, Decimal("75.0"), False)
    assert service_standard([], 10).share_within is None


def test_report_scope_and_dates() -> None:
    assert in_report("2-15") and in_report("9-4") and not in_report("1-6.A.3") and not in_report("5504")
    assert is_us_controlled("2-2.a") and is_us_controlled("2-1.b") and not is_us_controlled("2-15")
    assert tabling_deadline(2020) == date(2021, 5, 31)
