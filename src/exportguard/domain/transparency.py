"""What the transparency reports publish, and how figures add up (EIPA s.27; ATT Art. 13(3)).

Pure rules over aggregate rows: the services read one row per (destination, ECL item, currency,
exporter) from the database, and everything here (totals by destination, by region, by item, the
annex matrix, the disclosure rule, the ATT categories, the service standard) is computed from those
rows, in a fixed order, so the same inputs always give the same report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from exportguard.domain.reference import group_of

# EIPA s.27: the annual report covers military goods, ECL Groups 2 and 9 (regime-facts.md 3).
REPORTED_GROUPS: tuple[int, ...] = (2, 9)
# The report's table of exports to the United States: the Group 2 items that need a permit to the
# US (ECL s.2; regime-facts.md 3, "US-controlled subset").
US_CONTROLLED_ITEMS: tuple[str, ...] = ("2-1", "2-2.a", "2-2.b", "2-3", "2-4.a")
# The annual report is tabled by 31 May of the following year (EIPA s.27; ATT Art. 13(3)).
TABLING_DAY = (5, 31)


def in_report(item_code: str) -> bool:
    return group_of(item_code) in REPORTED_GROUPS


def is_us_controlled(item_code: str) -> bool:
    """Whether an item is in the US-controlled subset (an item or one of its sub-items)."""
    return any(item_code == code or item_code.startswith(code + ".") for code in US_CONTROLLED_ITEMS)


def tabling_deadline(year: int) -> date:
    return date(year + 1, *TABLING_DAY)


@dataclass(frozen=True)
class ExportRow:
    """Actual exports in a year for one destination, ECL item, currency and exporter (summed)."""

    destination: str
    item_code: str
    currency: str
    exporter_id: int
    quantity: int
    value: Decimal
    shipments: int


@dataclass(frozen=True)
class DisclosurePolicy:
    """When a published value could reveal one exporter's commercial figures.

    A value is published when at least ``min_exporters`` exporters stand behind it, or when it is
    at least ``threshold`` (large national figures are in the public interest and are published by
    destination in Canada's report, as Turkey's were); otherwise the cell says how many exports
    there were but not their value. Exporters are never named in public outputs.
    """

    min_exporters: int = 3
    threshold: Decimal = Decimal("1000000")

    def publishes(self, exporters: int, value: Decimal) -> bool:
        return exporters >= self.min_exporters or abs(value) >= self.threshold


@dataclass
class Figure:
    """A sum of export rows: quantity, value, shipments and who exported (for the disclosure rule)."""

    quantity: int = 0
    value: Decimal = Decimal("0.00")
    shipments: int = 0
    exporters: set[int] = field(default_factory=set)

    def add(self, row: ExportRow) -> None:
        self.quantity += row.quantity
        self.value += row.value
        self.shipments += row.shipments
        self.exporters.add(row.exporter_id)


@dataclass(frozen=True)
class Cell:
    """One published figure; ``value`` is None where the disclosure rule withholds it."""

    key: tuple[str, ...]
    quantity: int
    value: Decimal | None
    shipments: int
    exporters: int
    currency: str

    @property
    def withheld(self) -> bool:
        return self.value is None


def _cells(
    groups: Mapping[tuple[str, ...], Figure], currency: str, policy: DisclosurePolicy | None
) -> list[Cell]:
    """Figures as cells, largest value first then by key (a stable order for byte-identical files)."""
    out = [
        Cell(
            key=key,
            quantity=f.quantity,
            value=f.value if policy is None or policy.publishes(len(f.exporters), f.value) else None,
            shipments=f.shipments,
            exporters=len(f.exporters),
            currency=currency,
        )
        for key, f in groups.items()
    ]
    return sorted(out, key=lambda c: (-(groups[c.key].value), c.key))


def totals(
    rows: Iterable[ExportRow],
    key: tuple[str, ...] | None = None,
    *,
    regions: Mapping[str, str] | None = None,
    currency: str = "CAD",
    policy: DisclosurePolicy | None = None,
) -> list[Cell]:
    """Rows of one currency summed by ``key`` (any of "destination", "region", "item_code").

    ``policy`` None gives the officials' figures; a policy gives the published ones.
    """
    groups: dict[tuple[str, ...], Figure] = defaultdict(Figure)
    fields = key or ()
    for row in rows:
        if row.currency != currency:
            continue
        parts = {
            "destination": row.destination,
            "item_code": row.item_code,
            "region": (regions or {}).get(row.destination, "Other"),
        }
        groups[tuple(parts[f] for f in fields)].add(row)
    return _cells(groups, currency, policy)


@dataclass(frozen=True)
class PublishedTables:
    """The published value tables of one currency: by destination, by region, and the destination x
    item matrix. The national total (the sum of everything) is always published."""

    by_destination: list[Cell]
    by_region: list[Cell]
    by_destination_and_item: list[Cell]


def protect(tables: PublishedTables, regions: Mapping[str, str]) -> PublishedTables:
    """Complementary (secondary) suppression: no withheld value can be worked out by subtraction.

    Every published total is the sum of published parts: the national total of the regions and of
    the destinations, a region of its destinations, a destination of its items. Where exactly one
    member of such a sum is withheld, the subtraction would reveal it, so the smallest published
    part of the same sum is withheld too; repeated until no sum has a single withheld member. (Where
    the only part of a sum is the national total's, the national total is published all the same.)
    """
    value: dict[tuple[str, ...], Decimal] = {}
    withheld: set[tuple[str, ...]] = set()
    for kind, cells in (
        ("destination", tables.by_destination),
        ("region", tables.by_region),
        ("cell", tables.by_destination_and_item),
    ):
        for c in cells:
            node = (kind, *c.key)
            value[node] = Decimal(0) if c.value is None else c.value
            if c.withheld:
                withheld.add(node)
    sums: list[tuple[tuple[str, ...] | None, list[tuple[str, ...]]]] = [
        (None, [n for n in value if n[0] == "region"]),
        (None, [n for n in value if n[0] == "destination"]),
    ]
    for region in (n for n in value if n[0] == "region"):
        sums.append(
            (region, [n for n in value if n[0] == "destination" and regions.get(n[1], "Other") == region[1]])
        )
    for dest in (n for n in value if n[0] == "destination"):
        sums.append((dest, [n for n in value if n[0] == "cell" and n[1] == dest[1]]))
    changed = True
    while changed:
        changed = False
        for parent, parts in sums:
            members = parts + ([parent] if parent is not None else [])
            if sum(1 for m in members if m in withheld) != 1:
                continue
            open_parts = sorted((m for m in parts if m not in withheld), key=lambda m: (abs(value[m]), m))
            if open_parts:
                withheld.add(open_parts[0])
                changed = True
            elif parent is not None and parent not in withheld:
                withheld.add(parent)
                changed = True

    def apply(kind: str, cells: list[Cell]) -> list[Cell]:
        return [replace(c, value=None) if (kind, *c.key) in withheld else c for c in cells]

    return PublishedTables(
        apply("destination", tables.by_destination),
        apply("region", tables.by_region),
        apply("cell", tables.by_destination_and_item),
    )


def currencies(rows: Iterable[ExportRow]) -> list[str]:
    return sorted({r.currency for r in rows})


@dataclass(frozen=True)
class AttCategory:
    """An Arms Trade Treaty Art. 2(1) category (UN Register I-VII, SALW VIII) and sub-category."""

    code: str
    name: str
    subcategory: str = ""
    subcategory_name: str = ""


@dataclass(frozen=True)
class AttMapping:
    """Which ECL item reports in which ATT category (data/att_categories.yaml, reviewable)."""

    by_item: Mapping[str, AttCategory]

    def category_of(self, item_code: str) -> AttCategory | None:
        """The item's category, or its parent item's (``2-2.a`` reports as ``2-2``), or None."""
        code = item_code
        while code:
            found = self.by_item.get(code)
            if found is not None:
                return found
            if "." not in code:
                return None
            code = code.rsplit(".", 1)[0]
        return None


def att_mapping(data: Mapping[str, object]) -> AttMapping:
    """The mapping from the data file's parsed content; refuses an item naming no known category."""
    categories = data.get("categories")
    items = data.get("items")
    if not isinstance(categories, dict) or not isinstance(items, dict):
        raise ValueError("an ATT mapping has 'categories' and 'items'")
    by_item: dict[str, AttCategory] = {}
    for item, spec in items.items():
        cat = categories.get(spec.get("category")) if isinstance(spec, dict) else None
        if not isinstance(cat, dict):
            raise ValueError(f"item {item}: unknown ATT category {spec!r}")
        sub = str(spec.get("subcategory", ""))
        subs = cat.get("subcategories") or {}
        if sub and sub not in subs:
            raise ValueError(f"item {item}: category {spec['category']} has no sub-category {sub}")
        by_item[str(item)] = AttCategory(str(spec["category"]), str(cat["name"]), sub, str(subs.get(sub, "")))
    return AttMapping(by_item)


@dataclass(frozen=True)
class ProcessingTime:
    """How long one application took from submission to its decision (calendar days)."""

    reference: str
    submitted_on: date
    decided_on: date

    @property
    def days(self) -> int:
        return (self.decided_on - self.submitted_on).days


@dataclass(frozen=True)
class ServiceStandard:
    target_days: int
    target_share: Decimal
    decided: int
    within: int
    median_days: int | None

    @property
    def share_within(self) -> Decimal | None:
        if not self.decided:
            return None
        return (Decimal(self.within) / Decimal(self.decided) * 100).quantize(Decimal("0.1"))

    @property
    def met(self) -> bool | None:
        share = self.share_within
        return None if share is None else share >= self.target_share


def service_standard(
    times: Iterable[ProcessingTime], target_days: int, target_share: Decimal = Decimal("90")
) -> ServiceStandard:
    """Decisions within ``target_days`` of submission, against the target share (percent)."""
    days = sorted(t.days for t in times)
    within = sum(1 for d in days if d <= target_days)
    median = days[(len(days) - 1) // 2] if days else None
    return ServiceStandard(target_days, target_share, len(days), within, median)
