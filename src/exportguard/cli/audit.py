"""exportguard audit: verify the hash chain and the permits' states; read the events."""

from __future__ import annotations

from typing import Annotated

import typer

from exportguard.cli.output import Format, FormatOption, emit
from exportguard.cli.runtime import state
from exportguard.services.kernel import audit

app = typer.Typer(help="The audit log: verify the chain, list events.", no_args_is_help=True)

EXIT_BROKEN = 1


@app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check the whole hash chain and every permit's state against its audit events.

    Exits 1 and names the first broken event, and each permit whose stored state disagrees with its
    events, when verification fails. Read command: runs as the local operator (auditor) without --as.
    """
    cli = state(ctx)
    actor = cli.reader()
    with cli.system().read() as session:
        report = audit.verify(session, actor)
    if report.ok:
        typer.echo(f"audit chain intact: {report.events_checked} events verified; permit states agree")
        return
    if report.chain_break is not None:
        typer.echo(f"audit chain broken at {report.chain_break}", err=True)
    for mismatch in report.mismatches:
        typer.echo(f"state mismatch: {mismatch}", err=True)
    typer.echo(f"{report.events_checked} events verified before the first break", err=True)
    raise typer.Exit(EXIT_BROKEN)


@app.command("events")
def events(
    ctx: typer.Context,
    *,
    subject: Annotated[str | None, typer.Option(help="Subject type: permit, application, party, ...")] = None,
    subject_id: Annotated[int | None, typer.Option("--id", help="Subject id")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 500,
    after: Annotated[int, typer.Option(help="Only events after this sequence number")] = 0,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Audit events in chain order (read command)."""
    cli = state(ctx)
    actor = cli.reader()
    with cli.system().read() as session:
        found = audit.list_events(
            session, actor, subject_type=subject, subject_id=subject_id, limit=limit, after_seq=after
        )
    columns = (
        "seq",
        "effective_date",
        "principal",
        "role",
        "command",
        "subject_ref",
        "legal_basis",
        "reason",
    )
    emit(found, fmt, columns, title="Audit events")
