"""exportguard permits: the register, one permit's timeline, and the EIPA s.10 acts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from exportguard.cli import bulk as bulk_cli
from exportguard.cli import permit_documents
from exportguard.cli.output import Format, FormatOption, emit, emit_one
from exportguard.cli.runtime import date_option, day, moment, moment_option, state
from exportguard.domain.permits import PermitCommand
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.permits import queries as permit_queries

app = typer.Typer(
    help="Permits: list, show, issue, document, suspend, reinstate, cancel, amend, expire-due.",
    no_args_is_help=True,
)

COLUMNS = (
    "number",
    "version",
    "holder",
    "consignee",
    "destination",
    "status",
    "valid_from",
    "valid_to",
    "item_codes",
)
PermitKey = Annotated[
    str, typer.Argument(help="Permit number (latest version) or id", metavar="NUMBER_OR_ID")
]
Reason = Annotated[str, typer.Option(help="Why the act is taken (kept in the audit log)")]
LegalBasis = Annotated[str | None, typer.Option(help="Default: EIPA s.10(1)")]
EffectiveDate = Annotated[datetime | None, date_option("When the act takes effect (default: today)")]


@app.command("list")
def list_permits(
    ctx: typer.Context,
    *,
    destination: Annotated[str | None, typer.Option(help="ISO 3166 code, e.g. TR")] = None,
    status: Annotated[
        str | None, typer.Option(help="active, suspended, cancelled, expired, superseded or not_yet_valid")
    ] = None,
    as_of: Annotated[datetime | None, date_option("Status on this date (default: today)")] = None,
    known_at: Annotated[datetime | None, moment_option("As the record stood at this moment (UTC)")] = None,
    item: Annotated[str | None, typer.Option(help="Export Control List item, e.g. 2-15")] = None,
    group: Annotated[int | None, typer.Option(help="Export Control List group, 1-9")] = None,
    holder: Annotated[int | None, typer.Option(help="Holder (exporter) party id")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Permits matching the filters, with their status on a date. Read command: without a credential it runs
    as the local operator (auditor role)."""
    cli = state(ctx)
    f = permit_queries.PermitFilter(
        destination=destination.upper() if destination else None,
        status=status,  # pydantic validates it and names the field
        as_of=day(as_of),
        known_at=moment(known_at),
        item_code=item,
        item_group=group,
        holder_id=holder,
    )
    actor = cli.reader()
    with cli.system().read() as session:
        found = permit_queries.list_permits(session, actor, f, today=cli.today())
    emit(found, fmt, COLUMNS, title="Permits")


@app.command("show")
def show(
    ctx: typer.Context,
    key: PermitKey,
    as_of: Annotated[datetime | None, date_option("Status and timeline as of this date")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """One permit: parties, lines with what was shipped, and its timeline (read command)."""
    cli = state(ctx)
    actor = cli.reader()
    with cli.system().read() as session:
        view = permit_queries.get_permit(session, actor, key, as_of=day(as_of), today=cli.today())
    emit_one(view, fmt, title=f"Permit {view.number}/v{view.version}")


def _act(ctx: typer.Context, key: str, command: PermitCommand, act: Act, fmt: Format) -> None:
    cli = state(ctx)
    actor = cli.writer()
    with cli.system().read() as session:
        permit_id = permit_queries.get_permit(session, actor, key).id
    with cli.system().uow(actor) as uow:
        view = permits.alter_permit(uow, permit_id, command, act)
    emit_one(view, fmt, title=f"Permit {view.number}/v{view.version}: {view.state}")


def _register_act(command: PermitCommand, help_text: str) -> None:
    def act(
        ctx: typer.Context,
        key: Annotated[
            str | None,
            typer.Argument(
                help="One permit (number or id); omit to act on a scope", metavar="[NUMBER_OR_ID]"
            ),
        ] = None,
        *,
        reason: Annotated[
            str | None, typer.Option(help="Why the act is taken (kept in the audit log)")
        ] = None,
        effective_date: EffectiveDate = None,
        legal_basis: LegalBasis = None,
        destination: bulk_cli.Destination = None,
        consignee: bulk_cli.Consignee = None,
        end_user: bulk_cli.EndUser = None,
        exporter: bulk_cli.Exporter = None,
        item: bulk_cli.Item = None,
        item_group: bulk_cli.ItemGroup = None,
        product: bulk_cli.ProductId = None,
        issued_from: bulk_cli.IssuedFrom = None,
        issued_to: bulk_cli.IssuedTo = None,
        scope: bulk_cli.ScopeName = None,
        preview: bulk_cli.PreviewFlag = False,
        decision_ref: bulk_cli.DecisionRef = None,
        fmt: FormatOption = Format.TABLE,
    ) -> None:
        if key is None:
            # EIPA s.10(1) over a scope: one ministerial decision (see cli/bulk.py).
            filters = bulk_cli.scope_of(
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
            bulk_cli.run_bulk(
                ctx,
                command.value,
                filters,
                scope_name=scope,
                preview=preview,
                reason=reason,
                effective_date=day(effective_date),
                legal_basis=legal_basis,
                decision_ref=decision_ref,
                valid_to=None,
                fmt=fmt,
            )
            return
        if reason is None:
            raise typer.BadParameter("needs --reason", param_hint="--reason")
        data = Act(reason=reason, legal_basis=legal_basis, effective_date=day(effective_date))
        _act(ctx, key, command, data, fmt)

    app.command(command.value, help=help_text)(act)


_SCOPE_HELP = (
    " Without NUMBER_OR_ID it acts on every permit the scope options select, as one decision: "
    "--preview shows the impact; then run it with --reason, --effective-date and --decision-ref."
)
_register_act(
    PermitCommand.SUSPEND,
    "Suspend a permit (EIPA s.10(1); minister or director). Needs a credential." + _SCOPE_HELP,
)
_register_act(
    PermitCommand.REINSTATE,
    "Reinstate a suspended permit (EIPA s.10(1)). Needs a credential." + _SCOPE_HELP,
)
_register_act(
    PermitCommand.CANCEL,
    "Cancel a permit; final (EIPA s.10(1)). Needs a credential." + _SCOPE_HELP,
)
app.command("amend-validity")(bulk_cli.amend_validity)
app.command("issue")(permit_documents.issue)
app.command("document")(permit_documents.document)


@app.command("amend")
def amend(
    ctx: typer.Context,
    key: PermitKey,
    *,
    reason: Reason,
    valid_from: Annotated[datetime | None, date_option("New start of validity")] = None,
    valid_to: Annotated[datetime | None, date_option("New end of validity")] = None,
    conditions: Annotated[str | None, typer.Option(help="New conditions")] = None,
    effective_date: EffectiveDate = None,
    legal_basis: LegalBasis = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Amend a permit: a new version in force, the old one kept (EIPA s.10(1)). Needs a credential."""
    cli = state(ctx)
    actor = cli.writer()
    data = permits.AmendInput(
        reason=reason,
        legal_basis=legal_basis,
        effective_date=day(effective_date),
        valid_from=day(valid_from),
        valid_to=day(valid_to),
        conditions=conditions,
    )
    with cli.system().read() as session:
        permit_id = permit_queries.get_permit(session, actor, key).id
    with cli.system().uow(actor) as uow:
        view = permits.amend_permit(uow, permit_id, data)
    emit_one(view, fmt, title=f"Permit {view.number}/v{view.version}")


@app.command("expire-due")
def expire_due(
    ctx: typer.Context,
    today: Annotated[datetime | None, date_option("Sweep as of this date (default: today)")] = None,
) -> None:
    """Expire every live permit past its last valid day; running it twice changes nothing.
    Needs a credential."""
    cli = state(ctx)
    actor = cli.writer()
    with cli.system().uow(actor) as uow:
        expired = permits.expire_due_permits(uow, day(today))
    typer.echo(
        f"{len(expired)} permit{'s' if len(expired) != 1 else ''} expired"
        + "".join(f"\n  {p}" for p in expired)
    )
