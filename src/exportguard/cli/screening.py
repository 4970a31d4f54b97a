"""exportguard screen FILE.csv, and exportguard lists import|diff|list."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from exportguard.adapters.sanctions_lists.local_files import read_list_files
from exportguard.adapters.sanctions_lists.publishers import PUBLISHERS, HttpFetcher
from exportguard.cli.output import Format, FormatOption, emit, emit_one, spreadsheet_safe
from exportguard.cli.runtime import state
from exportguard.domain.errors import InvalidInput
from exportguard.domain.screening.diff import diff_entries
from exportguard.domain.screening.entries import PartialDate, PartyQuery
from exportguard.domain.screening.index import schema_of
from exportguard.domain.screening.matcher import DEFAULT_THRESHOLD
from exportguard.services.screening import commands as screening
from exportguard.services.screening import custom_lists, list_downloads
from exportguard.services.screening.store import current_lists, snapshot_entries

lists_app = typer.Typer(
    help="Sanctions lists: download, import, list, diff; custom lists: add-entry, remove-entry.",
    no_args_is_help=True,
)


class BatchFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


def _queries(path: Path, name: str, country: str, dob: str, kind: str) -> Iterator[PartyQuery]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if name not in (reader.fieldnames or []):
            raise InvalidInput.of("name_column", f"{path.name} has no column {name!r}")
        for row in reader:
            country_code = (row.get(country) or "").strip().upper()
            yield PartyQuery(
                row[name] or "",
                schema_of(row.get(kind) or ""),
                frozenset([country_code]) if len(country_code) == 2 else frozenset(),
                PartialDate.parse(row.get(dob) or ""),
            )


def screen(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV with a header")],
    *,
    name_column: Annotated[str, typer.Option(help="Column with the party's name")] = "name",
    country_column: Annotated[str, typer.Option(help="ISO 3166 alpha-2 country")] = "country",
    dob_column: Annotated[str, typer.Option(help="Date of birth, YYYY[-MM[-DD]]")] = "date_of_birth",
    kind_column: Annotated[str, typer.Option(help="person / organisation / vessel")] = "kind",
    threshold: Annotated[float, typer.Option(min=0.0, max=1.0)] = DEFAULT_THRESHOLD,
    best: Annotated[int, typer.Option(min=1, help="Matches written per row")] = 3,
    fmt: Annotated[BatchFormat, typer.Option("--format", "-f")] = BatchFormat.CSV,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Default: stdout")] = None,
) -> None:
    """Screen every row of FILE against the loaded lists; write the best matches per row with
    scores and explanations (a row with no match gets one line with empty match fields)."""
    cli = state(ctx)
    with cli.system().read() as session:
        screening.list_snapshots(session, cli.reader())  # the reader may see the lists
        index = current_lists(session).index
    queries = list(_queries(file, name_column, country_column, dob_column, kind_column))
    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    fields = ["row", "name", "rank", "score", "list", "entry_id", "listed_name", "explanation"]
    writer = csv.DictWriter(out, fieldnames=fields) if fmt is BatchFormat.CSV else None
    if writer:
        writer.writeheader()
    try:
        with Progress(disable=not sys.stderr.isatty(), transient=True) as progress:
            task = progress.add_task("screening", total=len(queries))
            for number, query in enumerate(queries, start=1):
                hits = index.screen(query, threshold=threshold, limit=best)
                rows: list[dict[str, Any]] = [
                    {
                        "row": number,
                        "name": query.name,
                        "rank": rank,
                        "score": h.score,
                        "list": h.entry.source,
                        "entry_id": h.entry.entry_id,
                        "listed_name": h.matched_name,
                        "explanation": h.explanation,
                    }
                    for rank, h in enumerate(hits, start=1)
                ] or [{"row": number, "name": query.name}]
                for row in rows:
                    if writer:
                        writer.writerow(
                            {k: spreadsheet_safe(v) if isinstance(v, str) else v for k, v in row.items()}
                        )
                    else:
                        out.write(json.dumps(row, ensure_ascii=False) + "\n")
                progress.advance(task)
    finally:
        if output:
            out.close()


ConfirmOption = Annotated[
    str | None,
    typer.Option(help="Apply a held import: the content hash its refusal gave", metavar="HASH"),
]


@lists_app.command("import")
def import_list(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="un-consolidated, ofac-sdn, uk-sanctions, ...")],
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False)],
    fmt: FormatOption = Format.TABLE,
    confirm: ConfirmOption = None,
) -> None:
    """Import a list from its published files; the same files twice change nothing. Pending
    applications and permits in force are re-screened against what changed. An import that empties
    the list or removes too much of it is held until confirmed (--confirm HASH). Needs a credential."""
    parsed = read_list_files(source, files)
    cli = state(ctx)
    shrink = cli.system().list_max_shrink
    view = cli.act(lambda uow: screening.import_list(uow, parsed, confirm=confirm, max_shrink=shrink))
    emit_one(view, fmt, title=f"{view.source}: {'imported' if view.created else 'unchanged'}")


@lists_app.command("list")
def list_snapshots(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Every imported snapshot, oldest first."""
    cli = state(ctx)
    with cli.system().read() as session:
        found = screening.list_snapshots(session, cli.reader())
    columns = (
        "id",
        "source",
        "published",
        "imported_at",
        "entry_count",
        "added",
        "changed",
        "removed",
        "content_hash",
    )
    emit(found, fmt, columns, title="Sanctions list snapshots")


@lists_app.command("diff")
def diff(
    ctx: typer.Context,
    old: Annotated[int, typer.Argument(help="Snapshot id")],
    new: Annotated[int, typer.Argument(help="Snapshot id")],
) -> None:
    """Entries added, changed and removed between two snapshots of one list."""
    cli = state(ctx)
    with cli.system().read() as session:
        snapshots = {s.id: s for s in screening.snapshot_rows(session, cli.reader(), [old, new])}
        if old not in snapshots or new not in snapshots:
            raise InvalidInput.of("snapshot", f"no snapshot {old if old not in snapshots else new}")
        change = diff_entries(
            snapshot_entries(session, snapshots[old]), snapshot_entries(session, snapshots[new])
        )
    typer.echo(change.summary())
    for label, entries in (("+", change.added), ("-", change.removed)):
        for entry in entries:
            typer.echo(f"{label} {entry.entry_id}\t{entry.primary_name}")
    for _, entry in change.changed:
        typer.echo(f"~ {entry.entry_id}\t{entry.primary_name}")


@lists_app.command("download")
def download(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help=f"One of: {', '.join(sorted(PUBLISHERS))}")],
    fmt: FormatOption = Format.TABLE,
    confirm: ConfirmOption = None,
) -> None:
    """Download a list from its official publisher (HTTPS) and import it (held, as import is, if
    it empties or shrinks the list too far). Needs a credential."""
    cli = state(ctx)
    shrink = cli.system().list_max_shrink
    view = cli.act(
        lambda uow: list_downloads.download_list(
            uow, source, HttpFetcher(), confirm=confirm, max_shrink=shrink
        )
    )
    emit_one(view, fmt, title=f"{view.source}: {'imported' if view.created else 'unchanged'}")


@lists_app.command("add-entry")
def add_entry(
    ctx: typer.Context,
    list_name: Annotated[str, typer.Argument(help="The custom list, e.g. diverters")],
    entry_id: Annotated[str, typer.Argument(help="Your identifier for the entry")],
    *,
    name: Annotated[list[str], typer.Option("--name", help="A name (repeat for aliases)")],
    reason: Annotated[str, typer.Option(help="Why the party is listed (e.g. the finding)")],
    country: Annotated[list[str] | None, typer.Option("--country", help="ISO 3166 code (repeatable)")] = None,
    birth_date: Annotated[list[str] | None, typer.Option("--birth-date", help="YYYY[-MM[-DD]]")] = None,
    schema: Annotated[str, typer.Option(help="person, organisation or vessel")] = "organisation",
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List a party on a custom list kept in the system; pending work is re-screened. Needs a credential."""
    data = custom_lists.CustomEntryInput.model_validate(
        {
            "list_name": list_name,
            "entry_id": entry_id,
            "schema": schema,
            "names": name,
            "countries": country or [],
            "birth_dates": birth_date or [],
            "reason": reason,
        }
    )
    view = state(ctx).act(lambda uow: custom_lists.add_custom_entry(uow, data))
    emit_one(view, fmt, title=f"{view.source}: {'changed' if view.created else 'unchanged'}")


@lists_app.command("remove-entry")
def remove_entry(
    ctx: typer.Context,
    list_name: Annotated[str, typer.Argument(help="The custom list")],
    entry_id: Annotated[str, typer.Argument(help="The entry to delist")],
    reason: Annotated[str, typer.Option(help="Why the party is delisted")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Delist a party from a custom list (earlier snapshots keep it). Needs a credential."""
    view = state(ctx).act(lambda uow: custom_lists.remove_custom_entry(uow, list_name, entry_id, reason))
    emit_one(view, fmt, title=f"{view.source}: {'changed' if view.created else 'unchanged'}")
