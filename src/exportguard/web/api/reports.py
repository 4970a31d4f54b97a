"""Transparency: the annual report (EIPA s.27), the ATT report and the public register.

The public forms need no sign-in and apply the disclosure rule; the ``/full`` forms and the
records behind a figure are for officials (READ_REPORTS)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from exportguard.reports import open_data
from exportguard.services.transparency import annual, att, records, register
from exportguard.web.auth import ApiActor, System

router = APIRouter(tags=["transparency"])
Year = Annotated[int, Path(ge=1990, le=2100, description="The calendar year reported")]
AsOf = Annotated[
    date | None, Query(description="The records as they stood that day (e.g. as tabled on 31 May)")
]


@router.get("/reports/annual/{year}", response_model=annual.AnnualReport)
def annual_report(system: System, year: Year, as_of: AsOf = None) -> annual.AnnualReport:
    """The published report: figures a disclosure rule would withhold are null (public)."""
    with system.read() as session:
        return annual.annual_report(session, register.PUBLIC_READER, year, as_of=as_of)


@router.get("/reports/annual/{year}/full", response_model=annual.AnnualReport)
def annual_report_full(
    system: System, actor: ApiActor, year: Year, as_of: AsOf = None
) -> annual.AnnualReport:
    """Every figure, with the number of exporters behind each (officials)."""
    with system.read() as session:
        return annual.annual_report(session, actor, year, as_of=as_of, public=False)


@router.get("/reports/annual/{year}/records", response_model=list[records.CellRecord])
def figure_records(
    system: System,
    actor: ApiActor,
    year: Year,
    *,
    destination: Annotated[str | None, Query(max_length=2)] = None,
    item_code: Annotated[str | None, Query(max_length=16)] = None,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
) -> list[records.CellRecord]:
    """The shipment lines behind a figure (a destination, an item, or both) (officials)."""
    with system.read() as session:
        return records.cell_records(
            session, actor, year, destination=destination, item_code=item_code, as_of=as_of, limit=limit
        )


@router.get("/reports/att/{year}", response_model=att.AttReport)
def att_report(system: System, year: Year, as_of: AsOf = None) -> att.AttReport:
    with system.read() as session:
        return att.att_report(session, register.PUBLIC_READER, year, as_of=as_of)


@router.get("/reports/att/{year}/full", response_model=att.AttReport)
def att_report_full(system: System, actor: ApiActor, year: Year, as_of: AsOf = None) -> att.AttReport:
    with system.read() as session:
        return att.att_report(session, actor, year, as_of=as_of, public=False)


@router.get("/register", response_model=register.Register)
def public_register(system: System, on: Annotated[date | None, Query()] = None) -> register.Register:
    """Measures in force by country, ministerial acts and the years reported (public)."""
    with system.read() as session:
        return register.register(session, on or system.clock.today())


@router.get("/open-data")
def open_data_dictionary() -> list[dict[str, object]]:
    """The data dictionary of every open dataset (files at /open-data/{dataset}/{year}.csv|json)."""
    return open_data.dictionary()
