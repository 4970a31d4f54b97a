"""The public register and the annual report, open to anyone: measures in force, ministerial
acts, the report with its charts and PDF, and the open data downloads (stable URLs per dataset and
year). Everything here applies the disclosure rule (services/transparency)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from exportguard import i18n
from exportguard.reports import annual_report as annual_document
from exportguard.reports import charts, open_data
from exportguard.services.transparency import annual, att, register
from exportguard.web.auth import PageActor, System
from exportguard.web.locale import request_locale
from exportguard.web.pages.rendering import page

router = APIRouter()
Year = Annotated[int, Path(ge=1990, le=2100)]
AsOf = Annotated[date | None, Query()]
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
CHARTS = {"exports-by-destination": "exports", "timeline": "timeline"}
CHART_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/public")
def public_register(request: Request, system: System, actor: PageActor) -> Response:
    with system.read() as session:
        reg = register.register(session, system.clock.today())
    return page(request, "public_register.html", actor, register=reg, datasets=open_data.DATASETS)


@router.get("/public/reports/{year}")
def annual_report_page(
    request: Request, system: System, actor: PageActor, year: Year, as_of: AsOf = None
) -> Response:
    with system.read() as session:
        report = annual.annual_report(session, register.PUBLIC_READER, year, as_of=as_of)
        years = register.report_years(session)
    return page(
        request, "annual_report.html", actor, report=report, years=years, datasets=open_data.DATASETS,
        query=f"?as_of={as_of.isoformat()}" if as_of else "",
    )  # fmt: skip


def _history(system: System, year: int, as_of: date | None) -> dict[int, dict[str, Decimal]]:
    with system.read() as session:
        years = [y for y in register.report_years(session) if y <= year] or [year]
        return annual.exports_history(session, years, as_of=as_of)


@router.get("/public/reports/{year}/report.pdf")
def annual_report_pdf(request: Request, system: System, year: Year, as_of: AsOf = None) -> Response:
    with system.read() as session:
        report = annual.annual_report(session, register.PUBLIC_READER, year, as_of=as_of)
    with i18n.using(request_locale(request)):
        body = annual_document.render_annual_report(report, _history(system, year, as_of))
    name = f"exports-of-military-goods-{year}-{request_locale(request)}.pdf"
    return _download(body, "application/pdf", name)


@router.get("/public/reports/{year}/charts/{name}.{fmt}")
def annual_report_chart(
    request: Request, system: System, year: Year, name: str, fmt: str, *, as_of: AsOf = None
) -> Response:
    if name not in CHARTS or fmt not in CHART_TYPES:
        raise HTTPException(404, "no such chart")
    if CHARTS[name] == "timeline":
        with system.read() as session:
            report = annual.annual_report(session, register.PUBLIC_READER, year, as_of=as_of)
        with i18n.using(request_locale(request)):
            body = charts.timeline(year, annual_document.timeline_events(report), fmt)
    else:  # the years' exports only: no need for the whole report
        history = _history(system, year, as_of)
        with system.read() as session:
            names = annual.country_names(session, {code for by_dest in history.values() for code in by_dest})
        with i18n.using(request_locale(request)):
            body = charts.exports_over_years(history, names, annual.REPORT_CURRENCY, fmt)
    return Response(body, media_type=CHART_TYPES[fmt], headers={"X-Content-Type-Options": "nosniff"})


@router.get("/open-data")
def open_data_page(request: Request, system: System, actor: PageActor) -> Response:
    with system.read() as session:
        years = register.report_years(session)
    return page(request, "open_data.html", actor, datasets=open_data.DATASETS, years=years)


@router.get("/open-data/dictionary.json")
def open_data_dictionary() -> Response:
    return Response(open_data.json_bytes(open_data.dictionary()), media_type="application/json")


@router.get("/open-data/{dataset}/{year}.{fmt}")
def open_data_file(system: System, dataset: str, year: Year, fmt: str, as_of: AsOf = None) -> Response:
    """A dataset for a year: a stable URL, the same bytes for the same records."""
    if dataset not in open_data.DATASETS or fmt not in FORMATS:
        raise HTTPException(404, "no such dataset or format")
    with system.read() as session:
        if dataset.startswith("att-"):
            source: annual.AnnualReport | att.AttReport = att.att_report(
                session, register.PUBLIC_READER, year, as_of=as_of
            )
        else:
            source = annual.annual_report(session, register.PUBLIC_READER, year, as_of=as_of)
    suffix = f"-as-of-{as_of.isoformat()}" if as_of else ""
    return _download(open_data.render(dataset, source, fmt), FORMATS[fmt], f"{dataset}-{year}{suffix}.{fmt}")
