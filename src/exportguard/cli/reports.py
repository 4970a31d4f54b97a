"""exportguard reports annual | att | charts: the transparency reports as files (read commands).

The published form (the disclosure rule applied) unless ``--full`` (officials: every figure).
"""

from __future__ import annotations

import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from exportguard import i18n
from exportguard.cli.runtime import date_option, day, state
from exportguard.domain.errors import InvalidInput
from exportguard.reports import annual_report as annual_document
from exportguard.reports import charts, open_data
from exportguard.services.transparency import annual, att, register

app = typer.Typer(
    help="Transparency: the annual report to Parliament (EIPA s.27), the ATT report, open data.",
    no_args_is_help=True,
)


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    PDF = "pdf"


YearArg = Annotated[int, typer.Argument(min=1990, max=2100, help="The calendar year reported")]
AsOf = Annotated[
    datetime | None, date_option("The records as they stood that day (e.g. as tabled on 31 May)")
]
Output = Annotated[str, typer.Option("-o", "--output", help="File to write, or - for standard output")]
Full = Annotated[bool, typer.Option("--full", help="Every figure, unwithheld (officials: READ_REPORTS)")]
Lang = Annotated[str, typer.Option("--lang", help="en or fr")]


def _write(body: bytes, output: str) -> None:
    if output == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
        return
    try:
        Path(output).write_bytes(body)
    except OSError as exc:
        raise InvalidInput.of("output", f"cannot write {output}: {exc.strerror}") from None
    typer.echo(f"wrote {output} ({len(body):,} bytes)", err=True)


def _lang(value: str) -> str:
    found = i18n.supported(value)
    if found is None:
        raise InvalidInput.of("lang", f"'{value}' is not one of {', '.join(i18n.LOCALES)}")
    return found


def annual_cmd(
    ctx: typer.Context,
    year: YearArg,
    *,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="json (whole report), csv (one dataset), pdf")
    ] = ReportFormat.JSON,
    dataset: Annotated[str, typer.Option(help="With --format csv: which dataset (see open data)")] = (
        "exports-by-destination"
    ),
    as_of: AsOf = None,
    full: Full = False,
    lang: Lang = "en",
    output: Output = "-",
) -> None:
    """The annual report on exports of military goods for YEAR."""
    st = state(ctx)
    if fmt is ReportFormat.CSV and (dataset not in open_data.DATASETS or dataset.startswith("att-")):
        names = ", ".join(n for n in open_data.DATASETS if not n.startswith("att-"))
        raise InvalidInput.of("dataset", f"'{dataset}' is not one of {names}")
    with st.system().read() as session, i18n.using(_lang(lang)):
        actor = st.reader() if full else register.PUBLIC_READER
        report = annual.annual_report(session, actor, year, as_of=day(as_of), public=not full)
        if fmt is ReportFormat.PDF:
            years = [y for y in register.report_years(session) if y <= year] or [year]
            history = annual.exports_history(session, years, public=not full, as_of=day(as_of))
            body = annual_document.render_annual_report(report, history)
        elif fmt is ReportFormat.CSV:
            body = open_data.render(dataset, report, "csv")
        else:
            body = (report.model_dump_json(indent=1) + "\n").encode()
    _write(body, output)


def att_cmd(
    ctx: typer.Context,
    year: YearArg,
    *,
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    as_of: AsOf = None,
    full: Full = False,
    output: Output = "-",
) -> None:
    """The Arms Trade Treaty annual report on exports for YEAR (the template's columns)."""
    if fmt not in ("csv", "json"):
        raise InvalidInput.of("format", f"'{fmt}' is not csv or json")
    st = state(ctx)
    with st.system().read() as session:
        actor = st.reader() if full else register.PUBLIC_READER
        report = att.att_report(session, actor, year, as_of=day(as_of), public=not full)
    _write(open_data.render("att-exports", report, fmt), output)


def charts_cmd(
    ctx: typer.Context,
    year: YearArg,
    *,
    directory: Annotated[Path, typer.Option("--dir", help="Where to write the charts")] = Path(),
    as_of: AsOf = None,
    lang: Lang = "en",
) -> None:
    """The report's charts for YEAR as PNG and SVG files."""
    st = state(ctx)
    with st.system().read() as session, i18n.using(_lang(lang)):
        report = annual.annual_report(session, register.PUBLIC_READER, year, as_of=day(as_of))
        years = [y for y in register.report_years(session) if y <= year] or [year]
        history = annual.exports_history(session, years, as_of=day(as_of))
        for fmt in ("png", "svg"):
            _write(
                charts.exports_over_years(history, report.country_names, report.currency, fmt),
                str(directory / f"exports-by-destination-{year}.{fmt}"),
            )
            _write(
                charts.timeline(year, annual_document.timeline_events(report), fmt),
                str(directory / f"timeline-{year}.{fmt}"),
            )


app.command("annual")(annual_cmd)
app.command("att")(att_cmd)
app.command("charts")(charts_cmd)
