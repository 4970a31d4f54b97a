"""The annual report on exports of military goods (EIPA s.27), assembled from the records.

Sections as the real report has them (regime-facts.md 3): summary of key data; the year's
developments (measures, ministerial acts, exceptions granted, denials); military export statistics
from actual exports, not permit values (by destination, by region, top destinations, the annex
matrix destination x ECL item); the US-controlled subset; the service standard; the UN Register
annex. ``as_of`` reproduces the report as the data stood that day (e.g. as tabled on 31 May).
``public`` applies the disclosure rule; officials get every figure and can drill down to records.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportguard.db.models import Application, Country
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.transparency import (
    US_CONTROLLED_ITEMS,
    AttMapping,
    Cell,
    DisclosurePolicy,
    ExportRow,
    PublishedTables,
    att_mapping,
    protect,
    tabling_deadline,
    totals,
)
from exportguard.services.transparency import developments as dev
from exportguard.services.transparency.figures import actual_exports, end_of_day, permits_issued, year_bounds

REPORT_CURRENCY = "CAD"
SERVICE_STANDARD_DAYS = 10  # calendar days from submission to decision; reviewable setting
TOP = 10


@cache
def regions() -> dict[str, str]:
    """Country code -> region of the report's 'by region' table (data/regions.yaml, reviewable)."""
    data = yaml.safe_load(resources.files("exportguard.data").joinpath("regions.yaml").read_text())
    return {code: region for region, codes in data["regions"].items() for code in codes}


@cache
def att_categories() -> AttMapping:
    data = yaml.safe_load(resources.files("exportguard.data").joinpath("att_categories.yaml").read_text())
    return att_mapping(data)


class Figure(BaseModel):
    """One published cell: ``value`` None means withheld by the disclosure rule."""

    model_config = ConfigDict(frozen=True)
    key: list[str]
    quantity: int
    value: Decimal | None
    lines: int
    exporters: int | None  # officials only; None in public outputs


def _figures(cells: list[Cell], public: bool) -> list[Figure]:
    return [
        Figure(key=list(c.key), quantity=c.quantity, value=c.value, lines=c.shipments,
               exporters=None if public else c.exporters)
        for c in cells
    ]  # fmt: skip


class Summary(BaseModel):
    total_value: Decimal
    destinations: int
    permits_issued: int
    applications_received: int
    denials: int
    exceptions: int
    ministerial_acts: int
    top_destination: str | None


class UsSubset(BaseModel):
    permits: int
    note: str


class UnRegisterRow(BaseModel):
    category: str
    subcategory: str
    destination: str
    quantity: int


class AnnualReport(BaseModel):
    year: int
    currency: str
    public: bool
    as_of: date | None
    tabling_deadline: date
    summary: Summary
    measures: list[dev.MeasureChange]
    ministerial_acts: list[dev.MinisterialAct]
    single_acts: list[dev.SingleActs]
    exceptions: list[dev.ExceptionGranted]
    denials: list[dev.Denial]
    by_destination: list[Figure]
    by_region: list[Figure]
    top_destinations: list[Figure]
    by_destination_and_item: list[Figure]
    other_currencies: list[str]
    us_subset: UsSubset
    service_standard_days: int
    decided: int
    decided_within: int
    share_within: Decimal | None
    median_days: int | None
    un_register: list[UnRegisterRow]
    country_names: dict[str, str]


def _received(session: Session, year: int, recorded_by: datetime | None) -> int:
    first, last = year_bounds(year)
    stmt = select(func.count(Application.id)).where(
        Application.submitted_on >= first, Application.submitted_on <= last, Application.version == 1
    )
    if recorded_by is not None:
        stmt = stmt.where(Application.created_at <= recorded_by)
    return int(session.scalar(stmt) or 0)


def un_register(rows: list[ExportRow], mapping: AttMapping) -> list[UnRegisterRow]:
    """Annex D: actual exports of UN Register categories, by category and destination (quantities)."""
    sums: dict[tuple[str, str, str], int] = {}
    for row in rows:
        cat = mapping.category_of(row.item_code)
        if cat is None:
            continue
        key = (cat.code, cat.subcategory, row.destination)
        sums[key] = sums.get(key, 0) + row.quantity
    return [
        UnRegisterRow(category=c, subcategory=s, destination=d, quantity=q)
        for (c, s, d), q in sorted(sums.items())
    ]


def annual_report(
    session: Session,
    actor: Actor,
    year: int,
    *,
    as_of: date | None = None,
    public: bool = True,
    policy: DisclosurePolicy | None = None,
) -> AnnualReport:
    """The report for ``year``; officials (READ_REPORTS) may ask for every figure (``public=False``)."""
    if not public:
        require(actor, Action.READ_REPORTS)
    recorded_by = end_of_day(as_of) if as_of is not None else None
    rows = actual_exports(session, year, recorded_by)
    disclosure = (policy or DisclosurePolicy()) if public else None
    cur = REPORT_CURRENCY
    region_of = regions()
    tables = PublishedTables(
        totals(rows, ("destination",), currency=cur, policy=disclosure),
        totals(rows, ("region",), regions=region_of, currency=cur, policy=disclosure),
        sorted(
            totals(rows, ("destination", "item_code"), currency=cur, policy=disclosure), key=lambda c: c.key
        ),
    )
    if disclosure is not None:
        tables = protect(tables, region_of)
    by_dest = tables.by_destination
    acts = dev.ministerial_acts(session, year, recorded_by)
    exceptions = dev.exceptions_granted(session, year, recorded_by)
    denied = dev.denials(session, year, recorded_by)
    standard = dev.standard(session, year, SERVICE_STANDARD_DAYS, recorded_by)
    codes = {r.destination for r in rows} | {d for a in acts for d in a.destinations}
    codes |= {e.destination for e in exceptions} | {d.destination for d in denied}
    names = country_names(session, codes)
    total = sum((r.value for r in rows if r.currency == cur), Decimal("0.00"))
    return AnnualReport(
        year=year,
        currency=cur,
        public=public,
        as_of=as_of,
        tabling_deadline=tabling_deadline(year),
        summary=Summary(
            total_value=total,
            destinations=len({r.destination for r in rows}),
            permits_issued=permits_issued(session, year),
            applications_received=_received(session, year, recorded_by),
            denials=len(denied),
            exceptions=len(exceptions),
            ministerial_acts=len(acts),
            top_destination=by_dest[0].key[0] if by_dest else None,
        ),
        measures=dev.measure_changes(session, year, recorded_by),
        ministerial_acts=acts,
        single_acts=dev.single_acts(session, year, recorded_by),
        exceptions=exceptions,
        denials=denied,
        by_destination=_figures(by_dest, public),
        by_region=_figures(tables.by_region, public),
        top_destinations=_figures(by_dest[:TOP], public),
        by_destination_and_item=_figures(tables.by_destination_and_item, public),
        other_currencies=[c for c in sorted({r.currency for r in rows}) if c != cur],
        us_subset=UsSubset(
            permits=permits_issued(session, year, items=US_CONTROLLED_ITEMS, destination="US"),
            note="Permits issued for the US-controlled subset of Group 2 (2-1, 2-2.a, 2-2.b, 2-3, 2-4.a); "
            "most Group 2 exports to the United States need no permit and are not captured.",
        ),
        service_standard_days=standard.target_days,
        decided=standard.decided,
        decided_within=standard.within,
        share_within=standard.share_within,
        median_days=standard.median_days,
        un_register=un_register(rows, att_categories()),
        country_names=names,
    )


def country_names(session: Session, codes: set[str]) -> dict[str, str]:
    return dict(session.execute(select(Country.code, Country.name).where(Country.code.in_(codes))).all())


def exports_history(
    session: Session, years: list[int], *, public: bool = True, as_of: date | None = None
) -> dict[int, dict[str, Decimal]]:
    """Each year's exports by destination (report currency), for the chart over the years; in
    public, a value the disclosure rule withholds is left out."""
    recorded_by = end_of_day(as_of) if as_of is not None else None
    rule = DisclosurePolicy() if public else None
    out: dict[int, dict[str, Decimal]] = {}
    for year in years:
        cells = totals(
            actual_exports(session, year, recorded_by),
            ("destination",),
            currency=REPORT_CURRENCY,
            policy=rule,
        )
        out[year] = {c.key[0]: c.value for c in cells if c.value is not None}
    return out
