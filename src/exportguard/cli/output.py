"""Printing records as a Rich table, JSON or CSV (``--format``)."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="table (Rich, for a terminal), json or csv", case_sensitive=False),
]


def _console() -> Console:
    # Outside a terminal (pipes, tests) Rich would wrap at 80 columns; registers are wider.
    return Console(width=None if sys.stdout.isatty() else 200, soft_wrap=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# A spreadsheet reads a cell that starts with one of these as a formula (=HYPERLINK(...) in a party's
# name would run when the CSV is opened): such text is written after an apostrophe (OWASP's advice).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")


def spreadsheet_safe(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs as a formula (issue 11); numbers unchanged."""
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER.match(text):
        return "'" + text
    return text


def _plain(records: Sequence[BaseModel]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in records]


def _table(rows: list[dict[str, Any]], columns: Sequence[str], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    return table


def emit(records: Sequence[BaseModel], fmt: Format, columns: Sequence[str], title: str | None = None) -> None:
    """Print a list of records; JSON carries every field, table and CSV the listed columns."""
    rows = _plain(records)
    if fmt is Format.JSON:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt is Format.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([spreadsheet_safe(_cell(row.get(c))) for c in columns] for row in rows)
        typer.echo(buffer.getvalue(), nl=False)
    else:
        _console().print(_table(rows, columns, title))
        _console().print(f"{len(rows)} record{'s' if len(rows) != 1 else ''}")


def emit_one(record: BaseModel, fmt: Format, title: str | None = None) -> None:
    """Print one record: its fields, then a table for each list of sub-records (lines, timeline)."""
    row = record.model_dump(mode="json")
    scalars = {k: v for k, v in row.items() if not (isinstance(v, list) and v and isinstance(v[0], dict))}
    if fmt is Format.JSON:
        typer.echo(json.dumps(row, indent=2, ensure_ascii=False))
        return
    if fmt is Format.CSV:
        emit([record], fmt, list(scalars))
        return
    console = _console()
    fields = Table(title=title, show_header=False)
    fields.add_column("field", style="bold")
    fields.add_column("value", overflow="fold")
    for key, value in scalars.items():
        fields.add_row(key.replace("_", " "), _cell(value))
    console.print(fields)
    for key, value in row.items():
        if key not in scalars:
            console.print(_table(value, list(value[0]), title=key.replace("_", " ")))
