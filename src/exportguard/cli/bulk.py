"""``exportguard permits suspend|reinstate|cancel|amend-validity`` over a scope: preview, then execute."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated

import typer

from exportguard.cli.output import Format, FormatOption, emit, emit_one
from exportguard.cli.runtime import date_option, day, state
from exportguard.services.permits import bulk_actions
from exportguard.services.permits.bulk_scope import ScopeInput

Destination = Annotated[str | None, typer.Option(help="Scope: destination (ISO 3166), e.g. TR")]
Consignee = Annotated[int | None, typer.Option(help="Scope: consignee party id")]
EndUser = Annotated[int | None, typer.Option(help="Scope: end user party id")]
Exporter = Annotated[int | None, typer.Option(help="Scope: exporter (holder) party id")]
Item = Annotated[str | None, typer.Option(help="Scope: Export Control List item, e.g. 2-15")]
ItemGroup = Annotated[int | None, typer.Option(help="Scope: Export Control List group, 1-9")]
ProductId = Annotated[int | None, typer.Option("--product", help="Scope: product id")]
IssuedFrom = Annotated[datetime | None, date_option("Scope: issued on or after")]
IssuedTo = Annotated[datetime | None, date_option("Scope: issued on or before")]
ScopeName = Annotated[str | None, typer.Option("--scope", help="A saved scope's name instead of filters")]
PreviewFlag = Annotated[bool, typer.Option("--preview", help="Show the impact only; change nothing")]
DecisionRef = Annotated[str | None, typer.Option(help="The decision's reference: repeating it is a no-op")]

PREVIEW_COLUMNS = (
    "number",
    "version",
    "state",
    "holder",
    "destination",
    "undelivered_quantity",
    "undelivered_value",
)


def run_bulk(
    ctx: typer.Context,
    command: str,
    scope: ScopeInput,
    *,
    scope_name: str | None,
    preview: bool,
    reason: str | None,
    effective_date: date | None,
    legal_basis: str | None,
    decision_ref: str | None,
    valid_to: date | None,
    fmt: Format,
) -> None:
    cli = state(ctx)
    fields: dict[str, object] = {
        "command": command,
        "scope": None if scope_name else scope,
        "scope_name": scope_name,
        "reason": reason or "preview",
        "effective_date": effective_date,
        "decision_ref": decision_ref,
        "valid_to": valid_to,
    }
    if legal_basis:
        fields["legal_basis"] = legal_basis
    data = bulk_actions.BulkActInput.model_validate(fields)
    actor = cli.writer()
    if preview:
        with cli.system().read() as session:
            shown = bulk_actions.preview_act(session, actor, data, cli.today())
        if fmt is Format.JSON:
            emit_one(shown, fmt)
            return
        emit(
            shown.permits,
            fmt,
            PREVIEW_COLUMNS,
            title=f"Preview: {command} {shown.scope} on {shown.effective_date}",
        )
        if fmt is Format.TABLE:
            typer.echo(
                f"{shown.permit_count} permits, {len(shown.holders)} holders, undelivered "
                f"{shown.undelivered_quantity} units worth {_money(shown.undelivered_value)}; "
                f"{len(shown.pending_shipments)} pending shipments; {len(shown.conflicts)} conflicts"
            )
        return
    if reason is None:
        raise typer.BadParameter("executing an act needs --reason", param_hint="--reason")
    with cli.system().uow(actor) as uow:
        result = bulk_actions.execute(uow, data)
    title = f"Decision {result.decision_ref}: {result.permit_count} permits" + (
        " (already executed)" if result.repeated else ""
    )
    emit_one(result, fmt, title=title)


def _money(values: Mapping[str, object]) -> str:
    return ", ".join(f"{v} {c}" for c, v in sorted(values.items())) or "0"


def scope_of(
    *,
    destination: str | None,
    consignee: int | None,
    end_user: int | None,
    exporter: int | None,
    item: str | None,
    item_group: int | None,
    product: int | None,
    issued_from: date | None,
    issued_to: date | None,
) -> ScopeInput:
    return ScopeInput(
        destination=destination,
        consignee_id=consignee,
        end_user_id=end_user,
        holder_id=exporter,
        item_code=item,
        item_group=item_group,
        product_id=product,
        issued_from=issued_from,
        issued_to=issued_to,
    )


def amend_validity(
    ctx: typer.Context,
    *,
    valid_to: Annotated[datetime, date_option("The new end of validity")],
    reason: Annotated[str | None, typer.Option(help="Why (kept in the audit log)")] = None,
    effective_date: Annotated[datetime | None, date_option("When it takes effect (default: today)")] = None,
    legal_basis: Annotated[str | None, typer.Option(help="Default: EIPA s.10(1)")] = None,
    destination: Destination = None,
    consignee: Consignee = None,
    end_user: EndUser = None,
    exporter: Exporter = None,
    item: Item = None,
    item_group: ItemGroup = None,
    product: ProductId = None,
    issued_from: IssuedFrom = None,
    issued_to: IssuedTo = None,
    scope: ScopeName = None,
    preview: PreviewFlag = False,
    decision_ref: DecisionRef = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Amend the validity of every permit a scope selects: new versions, one decision (EIPA s.10(1))."""
    filters = scope_of(
        destination=destination,
        consignee=consignee,
        end_user=end_user,
        exporter=exporter,
        item=item,
        item_group=item_group,
        product=product,
        issued_from=day(issued_from),
        issued_to=day(issued_to),
    )
    run_bulk(
        ctx,
        "amend_validity",
        filters,
        scope_name=scope,
        preview=preview,
        reason=reason,
        effective_date=day(effective_date),
        legal_basis=legal_basis,
        decision_ref=decision_ref,
        valid_to=valid_to.date(),
        fmt=fmt,
    )
