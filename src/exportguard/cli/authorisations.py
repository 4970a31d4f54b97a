"""exportguard authorisations: check whether an export is authorised on a date (EPR s.5-6; EIPA s.13),
and read back the checks recorded."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import typer

from exportguard.cli.output import Format, FormatOption, emit, emit_one
from exportguard.cli.runtime import date_option, day, state
from exportguard.domain.errors import InvalidInput
from exportguard.services.border import authorisations, check_records
from exportguard.services.border.authorisations import CheckInput

app = typer.Typer(
    help="The border's check: is this export authorised? And the checks recorded.", no_args_is_help=True
)

NOT_AUTHORISED = 1


def parse_line(spec: str, *, by: str, option: str) -> dict[str, Any]:
    """``KEY:QUANTITY[:VALUE]`` (KEY a permit line number for --line, an item code for --item)."""
    parts = spec.split(":")
    if len(parts) not in (2, 3) or not parts[0].strip():
        raise InvalidInput.of(option, f"'{spec}' is not KEY:QUANTITY[:VALUE]")
    try:
        line: dict[str, Any] = {by: parts[0].strip(), "quantity": int(parts[1])}
        if len(parts) == 3:
            line["value"] = Decimal(parts[2])
    except (ValueError, ArithmeticError):
        raise InvalidInput.of(option, f"'{spec}': quantity must be a whole number, value an amount") from None
    return line


def proposed_lines(lines: list[str], items: list[str]) -> list[dict[str, Any]]:
    return [parse_line(s, by="line_no", option="line") for s in lines] + [
        parse_line(s, by="item_code", option="item") for s in items
    ]


@app.command("check")
def check(
    ctx: typer.Context,
    *,
    permit: Annotated[str, typer.Option(help="Permit number as presented (or its id)")],
    on: Annotated[
        datetime,
        typer.Option(
            "--date", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help="Date of the proposed export"
        ),
    ],
    line: Annotated[
        list[str] | None, typer.Option(help="Permit line LINE:QUANTITY[:VALUE], e.g. 1:2 (repeatable)")
    ] = None,
    item: Annotated[
        list[str] | None,
        typer.Option(help="Goods by list item ITEM:QUANTITY[:VALUE], e.g. 2-15:1 (repeatable)"),
    ] = None,
    destination: Annotated[str | None, typer.Option(help="ISO 3166 code of the destination, e.g. TR")] = None,
    consignee: Annotated[str | None, typer.Option(help="Consignee's name or party id")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Authorised or not, with every reason why not; the check is recorded. Needs a credential (a customs
    officer, an exporter for its own permits, an officer, director or minister).

    Exit status: 0 authorised, 1 not authorised, 2 bad input.
    """
    cli = state(ctx)
    data = CheckInput.model_validate(
        {
            "permit": permit,
            "shipped_on": on.date(),
            "destination": destination,
            "consignee": consignee,
            "lines": proposed_lines(line or [], item or []),
        }
    )
    answer = cli.act(lambda uow: authorisations.check_authorisation(uow, data))
    emit_one(answer, fmt, title="Authorised" if answer.authorised else "NOT authorised")
    if not answer.authorised:
        raise typer.Exit(NOT_AUTHORISED)


CHECK_COLUMNS = (
    "id",
    "asked_at",
    "principal",
    "role",
    "permit_ref",
    "permit_id",
    "shipped_on",
    "authorised",
    "because",
)


@app.command("checks")
def checks(
    ctx: typer.Context,
    *,
    permit: Annotated[
        str | None, typer.Option(help="Permit number as presented or its id (checks answered on it too)")
    ] = None,
    principal: Annotated[str | None, typer.Option(help="Who asked (username)")] = None,
    answer: Annotated[str | None, typer.Option(help="authorised or refused")] = None,
    asked_from: Annotated[datetime | None, date_option("Asked on or after this day (UTC)", "--from")] = None,
    asked_to: Annotated[datetime | None, date_option("Asked on or before this day (UTC)", "--to")] = None,
    limit: Annotated[
        int, typer.Option(help=f"At most this many, newest first (1-{check_records.MAX_LISTED})")
    ] = check_records.RECENT,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The checks recorded, newest first: who asked, when, about which permit, and the answer.

    json carries the question and the reasons as recorded. Read command: without a credential it runs as
    the local operator (auditor role); an exporter sees its own organisation's checks only.
    """
    cli = state(ctx)
    f = check_records.CheckFilter(
        permit=permit,
        principal=principal,
        answer=answer,  # pydantic validates it and names the field
        asked_from=day(asked_from),
        asked_to=day(asked_to),
        limit=limit,
    )
    actor = cli.reader()
    with cli.system().read() as session:
        found = check_records.list_checks(session, actor, f)
    emit(found, fmt, CHECK_COLUMNS, title="Authorisation checks")
