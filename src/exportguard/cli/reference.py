"""exportguard parties | products | control-list | policies: the registers (read commands)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from exportguard.cli.output import Format, FormatOption, emit
from exportguard.cli.runtime import date_option, day, state
from exportguard.services.parties import registry as parties
from exportguard.services.policy import measures as policies
from exportguard.services.reference import control_list as reference

parties_app = typer.Typer(help="Parties: organisations and persons.", no_args_is_help=True)
products_app = typer.Typer(help="Products classified against the Export Control List.", no_args_is_help=True)
control_list_app = typer.Typer(help="The Export Control List.", no_args_is_help=True)
policies_app = typer.Typer(
    help="Destination measures (moratoria, presumptive denials, ...).", no_args_is_help=True
)


@parties_app.command("list")
def list_parties(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Every registered party (read command)."""
    cli = state(ctx)
    actor = cli.reader()
    with cli.system().read() as session:
        found = parties.list_parties(session, actor)
    emit(found, fmt, ("id", "kind", "name", "city", "country"), title="Parties")


@products_app.command("list")
def list_products(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Every product and the list items it is classified under (read command)."""
    cli = state(ctx)
    with cli.system().read() as session:
        found = reference.list_products(session)
    emit(found, fmt, ("id", "maker_id", "model", "name", "item_codes"), title="Products")


@control_list_app.command("show")
def show_control_list(
    ctx: typer.Context,
    group: Annotated[int | None, typer.Option(help="Only this group, 1-9", min=1, max=9)] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The Export Control List: items with their Wassenaar and ATT references (read command)."""
    cli = state(ctx)
    with cli.system().read() as session:
        groups = reference.control_list(session)
    items = [item for g in groups if group is None or g.number == group for item in g.items]
    emit(
        items,
        fmt,
        ("code", "group_number", "title", "wassenaar_ref", "att_category"),
        title="Export Control List",
    )


@policies_app.command("list")
def list_policies(
    ctx: typer.Context,
    *,
    destination: Annotated[str | None, typer.Option(help="ISO 3166 code, e.g. TR")] = None,
    as_of: Annotated[datetime | None, date_option("Only measures in force on this date")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Destination measures recorded, or those in force on a date (read command)."""
    cli = state(ctx)
    with cli.system().read() as session:
        found = policies.list_measures(session, destination, day(as_of))
    columns = ("key", "destination", "kind", "effective_from", "effective_to", "item_groups", "title")
    emit(found, fmt, columns, title="Destination measures")
