"""The Arms Trade Treaty annual report on exports (Art. 13(3)): authorised and actual exports of
the Art. 2(1) categories, by category, sub-category and final importing State, in the template's
columns. Which ECL item reports in which category is data (data/att_categories.yaml)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from exportguard.domain.access import Action, Actor, require
from exportguard.domain.transparency import AttMapping, DisclosurePolicy, ExportRow, tabling_deadline
from exportguard.services.transparency.annual import REPORT_CURRENCY, att_categories
from exportguard.services.transparency.figures import actual_exports, authorised_exports, end_of_day


class AttRow(BaseModel):
    year: int
    category: str
    subcategory: str
    final_importing_state: str
    authorised_items: int
    authorised_value: Decimal | None
    actual_items: int
    actual_value: Decimal | None
    currency: str
    description: str
    comments: str
    public: bool


class AttReport(BaseModel):
    year: int
    due: date
    public: bool
    rows: list[AttRow]
    nil_report: bool


class _Sum:
    def __init__(self) -> None:
        self.items, self.value, self.exporters, self.codes = 0, Decimal("0.00"), set[int](), set[str]()

    def add(self, row: ExportRow) -> None:
        self.items += row.quantity
        self.value += row.value
        self.exporters.add(row.exporter_id)
        self.codes.add(row.item_code)


def _by_category(rows: list[ExportRow], mapping: AttMapping) -> dict[tuple[str, str, str, str], _Sum]:
    sums: dict[tuple[str, str, str, str], _Sum] = defaultdict(_Sum)
    for row in rows:
        cat = mapping.category_of(row.item_code)
        if cat is not None:
            sums[(cat.code, cat.subcategory, row.destination, row.currency)].add(row)
    return sums


_ORDER = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def att_report(
    session: Session,
    actor: Actor,
    year: int,
    *,
    as_of: date | None = None,
    public: bool = True,
    policy: DisclosurePolicy | None = None,
) -> AttReport:
    if not public:
        require(actor, Action.READ_REPORTS)
    mapping = att_categories()
    actual = _by_category(actual_exports(session, year, end_of_day(as_of) if as_of else None), mapping)
    authorised = _by_category(authorised_exports(session, year), mapping)
    rule = policy or DisclosurePolicy()
    rows = []
    for key in sorted(set(actual) | set(authorised), key=lambda k: (_ORDER.index(k[0]), k[1], k[2], k[3])):
        cat, sub, dest, currency = key
        auth, act = authorised.get(key, _Sum()), actual.get(key, _Sum())
        exporters = len(auth.exporters | act.exporters)
        shown = rule.publishes(exporters, max(auth.value, act.value))
        rows.append(
            AttRow(
                year=year,
                category=cat,
                subcategory=sub,
                final_importing_state=dest,
                authorised_items=auth.items,
                authorised_value=auth.value if shown or not public else None,
                actual_items=act.items,
                actual_value=act.value if shown or not public else None,
                currency=currency,
                description="ECL " + ", ".join(sorted(auth.codes | act.codes)),
                comments="" if shown else "values withheld: commercially sensitive (ATT Art. 13(3))",
                public=shown,
            )
        )
    return AttReport(year=year, due=tabling_deadline(year), public=public, rows=rows, nil_report=not rows)


__all__ = ["REPORT_CURRENCY", "AttReport", "AttRow", "att_report"]
