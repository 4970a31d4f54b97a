"""exportguard assurances | verification | lobbying: what was assured, checked and found, and
lobbying on the record.

``assurances list --country TR`` answers what a country assured and whether an investigation found it
breached; ``lobbying decisions`` lists the decisions taken while lobbying on them was on record.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from exportguard.adapters import lobbying_registry
from exportguard.cli.output import Format, FormatOption, emit, emit_one
from exportguard.cli.runtime import date_option, day, state
from exportguard.domain.assurances import CheckResult
from exportguard.services.investigations import assurances, verification
from exportguard.services.lobbying import links, records

assurances_app = typer.Typer(
    help="End-use assurances given for applications and permits.", no_args_is_help=True
)
lobbying_app = typer.Typer(
    help="Lobbying on the record (Registry of Lobbyists open data).", no_args_is_help=True
)


@assurances_app.command("list")
def list_assurances(
    ctx: typer.Context,
    country: Annotated[str | None, typer.Option(help="Who gave them, e.g. TR")] = None,
    permit: Annotated[str | None, typer.Option(help="A permit number")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """What was assured (who, form, when, promises) and whether an investigation found it breached."""
    cli = state(ctx)
    with cli.system().read() as session:
        rows = assurances.list_assurances(session, cli.reader(), permit=permit)
    rows = [r for r in rows if country is None or r.country == country.upper()]
    columns = (
        "reference",
        "given_by",
        "form",
        "given_on",
        "promises",
        "application",
        "permit",
        "state",
        "breach_source",
        "provenance",
    )
    emit(rows, fmt, columns, title="End-use assurances")


@lobbying_app.command("import")
def import_lobbying(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="The export (zip or folder)")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Import the Registry of Lobbyists' communications; importing again changes nothing.
    Needs a credential."""
    files = lobbying_registry.read_files(source)
    report = state(ctx).act(lambda uow: records.import_communications(uow, files, source.name))
    emit_one(report, fmt, title="Lobbying communications imported")


@lobbying_app.command("list")
def list_lobbying(ctx: typer.Context, client: str | None = None, fmt: FormatOption = Format.TABLE) -> None:
    cli = state(ctx)
    with cli.system().read() as session:
        rows = records.list_communications(session, cli.reader(), client)
    emit(
        rows,
        fmt,
        ("comlog_id", "communicated_on", "lobbyist", "client", "institutions", "subject_matters"),
        title="Lobbying communications",
    )


@lobbying_app.command("decisions")
def lobbied_decisions(
    ctx: typer.Context, destination: str | None = None, fmt: FormatOption = Format.TABLE
) -> None:
    """Decisions taken while lobbying on the application was on record: by whom, on what ground, with what."""
    cli = state(ctx)
    with cli.system().read() as session:
        rows = links.decisions_while_lobbied(session, cli.reader(), destination=destination)
    if fmt is Format.JSON:
        emit(rows, fmt, ())
        return
    flat = [
        links.LobbiedDecisionLine(
            application=r.application,
            outcome=r.outcome,
            decided_on=r.decided_on,
            decided_by=r.decided_by,
            ground=(r.policy_exception or {}).get("ground", "") or r.justification,
            communications="; ".join(
                f"{c.communicated_on} {c.lobbyist} for {c.client} ({c.comlog_id})" for c in r.communications
            ),
        )
        for r in rows
    ]
    emit(
        flat,
        fmt,
        ("application", "outcome", "decided_on", "decided_by", "ground", "communications"),
        title="Decisions taken while lobbying was on record",
    )


verification_app = typer.Typer(
    help="Post-shipment verification checks of a permit's goods: plan, record the result, list.",
    no_args_is_help=True,
)
CHECK_COLUMNS = ("id", "permit", "assurance", "place", "planned_on", "state", "done_on", "result", "notes")


@verification_app.command("plan")
def plan_check(
    ctx: typer.Context,
    *,
    permit: Annotated[str, typer.Option(help="Permit number")],
    place: Annotated[str, typer.Option(help="Where the goods are to be seen")],
    on: Annotated[datetime, date_option("Planned date")],
    assurance: Annotated[str | None, typer.Option(help="The assurance the check verifies")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Plan a post-shipment verification check (ATT Art. 11(2)). Needs a credential."""
    data = verification.PlanCheckInput(permit=permit, place=place, planned_on=on.date(), assurance=assurance)
    view = state(ctx).act(lambda uow: verification.plan_check(uow, data))
    emit_one(view, fmt, title=f"Verification check {view.id} planned")


@verification_app.command("result")
def record_result(
    ctx: typer.Context,
    check: Annotated[int, typer.Argument(help="The check's id")],
    *,
    result: Annotated[CheckResult, typer.Option(help="What was found")],
    notes: Annotated[str, typer.Option(help="What was seen, by whom")] = "",
    on: Annotated[datetime | None, date_option("Date done (default: today)")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Record what a planned check found. Needs a credential."""
    data = verification.CheckResultInput(result=result, notes=notes, on=day(on))
    view = state(ctx).act(lambda uow: verification.record_result(uow, check, data))
    emit_one(view, fmt, title=f"Verification check {check}: {view.result}")


@verification_app.command("list")
def list_checks(
    ctx: typer.Context,
    permit: Annotated[str | None, typer.Option(help="A permit number")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Verification checks, planned and done (internal)."""
    cli = state(ctx)
    with cli.system().read() as session:
        rows = verification.list_checks(session, cli.reader(), permit)
    emit(rows, fmt, CHECK_COLUMNS, title="Verification checks")
