"""exportguard shipments: record, reverse, check or record a declaration file, and usage reports."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from operator import attrgetter
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.progress import Progress

from exportguard.cli.authorisations import parse_line
from exportguard.cli.output import Format, FormatOption, emit, emit_one, spreadsheet_safe
from exportguard.cli.runtime import date_option, day, state
from exportguard.domain.duties import ReversalRequestState
from exportguard.services.border import declaration_feed, declarations, reversal_requests, shipments, usage
from exportguard.services.border.authorisations import may_check
from exportguard.services.border.circumstances import circumstances_of
from exportguard.services.border.customs_feed import MAX_BATCH
from exportguard.services.border.read_model import load_snapshot
from exportguard.services.kernel.common import View
from exportguard.services.permits.queries import get_permit

app = typer.Typer(
    help="Shipments drawn against permits: record, reverse, check FILE.csv, record-file FILE.csv, usage.",
    no_args_is_help=True,
)

Day = Annotated[datetime, typer.Option("--date", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="Date")]
Lines = Annotated[
    list[str] | None, typer.Option("--line", help="LINE:QUANTITY[:VALUE], e.g. 1:2 (repeatable)")
]
SOME_LINES_BAD = 1


@app.command("record")
def record(
    ctx: typer.Context,
    *,
    declaration: Annotated[str, typer.Option(help="Customs declaration id (sending it again is harmless)")],
    permit: Annotated[str, typer.Option(help="Permit number (latest version) or id")],
    on: Day,
    line: Lines = None,
    port: Annotated[str, typer.Option(help="Port of exit")] = "",
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Record an export and draw it down on the permit (EPR s.5-6). Needs a credential."""
    cli = state(ctx)
    actor = cli.writer()
    with cli.system().read() as session:
        permit_id = get_permit(session, actor, permit).id
    data = shipments.ShipmentInput(
        declaration_id=declaration,
        permit_id=permit_id,
        shipped_on=on.date(),
        port=port,
        lines=[
            shipments.ShipmentLineInput.model_validate(
                {"permit_line_no": ln["line_no"], **{k: v for k, v in ln.items() if k != "line_no"}}
            )
            for ln in (parse_line(s, by="line_no", option="line") for s in line or [])
        ],
    )
    view = cli.act(lambda uow: shipments.record_shipment(uow, data))
    emit_one(view, fmt, title="Already recorded" if view.already_recorded else "Recorded")


def _reversal(
    declaration: str,
    reverses: str,
    on: datetime,
    reason: str,
    *,
    line: list[str] | None,
    exporter: int | None = None,
) -> shipments.ReversalInput:
    wanted = [parse_line(s, by="line_no", option="line") for s in line or []]
    return shipments.ReversalInput(
        declaration_id=declaration,
        reverses=reverses,
        exporter_id=exporter,
        shipped_on=on.date(),
        reason=reason,
        lines=[
            shipments.ReversalLineInput(permit_line_no=w["line_no"], quantity=w["quantity"]) for w in wanted
        ]
        or None,
    )


@app.command("reverse")
def reverse(
    ctx: typer.Context,
    *,
    declaration: Annotated[str, typer.Option(help="Id of this reversing entry")],
    reverses: Annotated[str, typer.Option(help="Declaration id of the entry reversed")],
    on: Day,
    reason: Annotated[str, typer.Option(help="Why (a return, a correction...)")],
    line: Annotated[
        list[str] | None, typer.Option("--line", help="LINE:QUANTITY given back (default: all still shipped)")
    ] = None,
    exporter: Annotated[
        int | None,
        typer.Option(help="Exporter organisation id, when several exporters used the declaration id"),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """A return or correction: a new entry reversing all or part of an earlier one. Needs a credential."""
    cli = state(ctx)
    data = _reversal(declaration, reverses, on, reason, line=line, exporter=exporter)
    view = cli.act(lambda uow: shipments.reverse_shipment(uow, data))
    emit_one(view, fmt, title="Already recorded" if view.already_recorded else "Reversal recorded")


@app.command("request-reversal")
def request_reversal(
    ctx: typer.Context,
    *,
    declaration: Annotated[str, typer.Option(help="Id of the reversing entry asked for")],
    reverses: Annotated[str, typer.Option(help="Declaration id of your entry to reverse")],
    on: Day,
    reason: Annotated[str, typer.Option(help="Why (a return, a correction...)")],
    line: Annotated[
        list[str] | None, typer.Option("--line", help="LINE:QUANTITY given back (default: all still shipped)")
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """An exporter asks an official to reverse its recorded export (an officer or customs approves)."""
    cli = state(ctx)
    data = _reversal(declaration, reverses, on, reason, line=line)
    view = cli.act(lambda uow: reversal_requests.request_reversal(uow, data))
    emit_one(view, fmt, title="Reversal requested")


@app.command("reversal-requests")
def list_reversal_requests(
    ctx: typer.Context,
    *,
    only: Annotated[ReversalRequestState | None, typer.Option("--state", help="Only in this state")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Reversal requests: an exporter its own; officers and customs every one."""
    cli = state(ctx)
    actor = cli.reader()
    with cli.system().read() as session:
        found = reversal_requests.list_reversal_requests(session, actor, only)
    emit(
        found,
        fmt,
        ("id", "declaration_id", "reverses", "shipped_on", "state", "requested_by", "decided_by", "reason"),
        title="Reversal requests",
    )


@app.command("approve-reversal")
def approve_reversal(
    ctx: typer.Context,
    request: Annotated[int, typer.Argument(help="Request id")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Approve an exporter's reversal request: the reversing entry is recorded (never by who asked)."""
    view = state(ctx).act(lambda uow: reversal_requests.approve_reversal(uow, request))
    emit_one(view, fmt, title="Reversal approved and recorded")


@app.command("refuse-reversal")
def refuse_reversal(
    ctx: typer.Context,
    request: Annotated[int, typer.Argument(help="Request id")],
    *,
    reason: Annotated[str, typer.Option(help="Why (told to the exporter)")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Refuse an exporter's reversal request, saying why."""
    data = reversal_requests.RefusalInput(reason=reason)
    view = state(ctx).act(lambda uow: reversal_requests.refuse_reversal(uow, request, data))
    emit_one(view, fmt, title="Reversal refused")


class UsageRow(View):
    permit: str
    line_no: int
    item_code: str
    status: str | None
    licensed_quantity: int
    shipped_quantity: int
    remaining_quantity: int
    licensed_value: str
    shipped_value: str
    remaining_value: str
    currency: str


USAGE_COLUMNS = tuple(UsageRow.model_fields)


def _rows(reports: list[usage.PermitUsage]) -> list[UsageRow]:
    return [
        UsageRow(
            permit=f"{r.number}/v{r.version}" + (" (exhausted)" if r.exhausted else ""),
            status=r.status,
            **ln.model_dump(mode="json", exclude={"unit"}),
        )
        for r in reports
        for ln in r.lines
    ]


@app.command("usage")
def usage_report(
    ctx: typer.Context,
    *,
    permit: Annotated[str | None, typer.Option(help="Permit number or id")] = None,
    holder: Annotated[int | None, typer.Option(help="Holder (exporter) party id: all its permits")] = None,
    as_of: Annotated[datetime | None, date_option("Shipped as of this date (default: all recorded)")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Licensed, shipped and remaining quantity and value per permit line (read command)."""
    cli = state(ctx)
    actor = cli.reader()
    if (permit is None) == (holder is None):
        raise typer.BadParameter("give exactly one of --permit or --holder", param_hint="permit")
    with cli.system().read() as session:
        if permit is not None:
            reports = [usage.permit_usage(session, actor, permit, as_of=day(as_of), today=cli.today())]
        else:
            assert holder is not None
            reports = usage.holder_usage(session, actor, holder, as_of=day(as_of), today=cli.today()).permits
    emit(_rows(reports), fmt, USAGE_COLUMNS, title="Usage" + (f" as of {day(as_of)}" if as_of else ""))


class VerdictFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


def _write(
    out: TextIO, fmt: VerdictFormat, verdicts: Iterator[declarations.LineVerdict], *, port: bool = False
) -> None:
    """One verdict a row; ``port``: with the port column (after shipped_on)."""
    columns = ("line", "declaration_id", "permit", "shipped_on", *(("port",) if port else ()), "verdict")
    cells = attrgetter(*columns)
    if fmt is VerdictFormat.CSV:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*columns, "reasons", "diversion_flags"])
        for v in verdicts:
            writer.writerow(
                [spreadsheet_safe(str(c)) for c in (*cells(v), "; ".join(v.reasons), "; ".join(v.flags))]
            )
        return
    for v in verdicts:
        record = dict(zip(columns, cells(v), strict=True))
        out.write(
            json.dumps(
                {**record, "reasons": list(v.reasons), "diversion_flags": list(v.flags)}, ensure_ascii=False
            )
            + "\n"
        )


@contextmanager
def _verdicts_to(output: Path | None) -> Iterator[TextIO]:
    """The --output file, or stdout (no --output, or ``-``)."""
    if output is None or str(output) == "-":
        yield sys.stdout
        return
    with output.open("w", encoding="utf-8", newline="") as out:
        yield out


def _counted(
    verdicts: Iterator[declarations.LineVerdict], count: Callable[[declarations.LineVerdict], None]
) -> Iterator[declarations.LineVerdict]:
    for v in verdicts:
        count(v)
        yield v


def _tracked(
    verdicts: Iterator[declarations.LineVerdict], total: int, doing: str = "checking declarations"
) -> Iterator[declarations.LineVerdict]:
    """A Rich progress bar on a terminal only (pipes and files get none)."""
    if not sys.stderr.isatty():
        yield from verdicts
        return
    with Progress(transient=True) as progress:
        task = progress.add_task(doing, total=total)
        for n, v in enumerate(verdicts, start=1):
            if n % 1000 == 0:
                progress.update(task, completed=n)
            yield v


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _reflowed(doc: str | None) -> str:
    """A module docstring as help: prose lines joined (the terminal wraps them), indented kept."""
    return re.sub(r"(?<=\S)\n(?=\S)", " ", doc or "").strip()


CHECK_HELP = _reflowed(declarations.__doc__) + (
    "\n\nVerdicts go to stdout (or --output) as CSV (line, declaration_id, permit, shipped_on, verdict, "
    "reasons, diversion_flags) or JSON lines; a summary with the bad lines' numbers goes to stderr. "
    "The check of the file is recorded. Needs a credential. "
    "Exit status: 0 every line read, 1 some lines bad, 2 bad input."
)


DeclarationFile = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, help="Declaration file (CSV, header row)")
]
VerdictFormatOption = Annotated[
    VerdictFormat, typer.Option("--format", "-f", help="csv or jsonl", case_sensitive=False)
]
VerdictOutput = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write verdicts here (default, or -: stdout)")
]


@app.command("check", help=CHECK_HELP)
def check_file(
    ctx: typer.Context,
    file: DeclarationFile,
    *,
    fmt: VerdictFormatOption = VerdictFormat.CSV,
    output: VerdictOutput = None,
) -> None:
    cli = state(ctx)
    actor = cli.writer()
    may_check(actor)
    system = cli.system()
    with file.open(encoding="utf-8-sig", newline="") as source, system.read() as session:
        # Only the permits the file names are read (a first pass over it), not the whole register.
        snapshot = load_snapshot(session, declarations.presented_permits(source))
        around = circumstances_of(session, actor, snapshot.by_id.values())
    report = declarations.FileReport()
    with file.open(encoding="utf-8-sig", newline="") as source, _verdicts_to(output) as out:
        checked = _tracked(declarations.check_file(source, snapshot, actor, around), _count_lines(file) - 1)
        _write(out, fmt, _counted(checked, report.count))
    with system.uow(actor) as uow:
        declarations.record_file_check(uow, file.name, _sha256(file), report)
    bad = (
        f"; bad lines: {', '.join(map(str, report.bad[:20]))}{' ...' if len(report.bad) > 20 else ''}"
        if report.bad
        else ""
    )
    summary = f"{report.lines} lines: {report.authorised} authorised, {report.refused} refused"
    typer.echo(f"{summary}, {len(report.bad)} bad{bad}", err=True)
    if report.bad:
        raise typer.Exit(SOME_LINES_BAD)


RECORD_HELP = _reflowed(declaration_feed.__doc__) + (
    "\n\nThe columns are those of `shipments check` (see its --help). Verdicts go to stdout (or "
    "--output) as CSV (line, declaration_id, permit, shipped_on, port, verdict, reasons, diversion_flags) "
    "or JSON lines, "
    "each batch's as it commits; a summary with the lines per verdict goes to stderr. Needs a credential. "
    "Exit status: 0 every line recorded (now or before), 1 some lines not recorded, 2 bad input."
)


@app.command("record-file", help=RECORD_HELP)
def record_file(
    ctx: typer.Context,
    file: DeclarationFile,
    *,
    fmt: VerdictFormatOption = VerdictFormat.CSV,
    output: VerdictOutput = None,
    batch_size: Annotated[
        int,
        typer.Option(
            "--batch-size",
            min=1,
            max=MAX_BATCH,
            help="Declarations recorded per transaction (a crash loses at most one batch)",
        ),
    ] = declaration_feed.BATCH_SIZE,
) -> None:
    cli = state(ctx)
    actor = cli.writer()
    declaration_feed.may_record(actor)
    with file.open(encoding="utf-8-sig", newline="") as source:
        feed = declaration_feed.DeclarationFeed(source, batch_size=batch_size)
    report = declaration_feed.FeedReport()
    with _verdicts_to(output) as out:
        recorded = _tracked(feed.record(cli.system(), actor), feed.rows, "recording declarations")
        _write(out, fmt, _counted(recorded, report.count), port=True)
    typer.echo(report.summary(), err=True)
    if not report.all_recorded:
        raise typer.Exit(SOME_LINES_BAD)
