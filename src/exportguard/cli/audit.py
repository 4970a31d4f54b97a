"""exportguard audit: verify the log and the records against it, seal it, prove it; read the events."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from exportguard.cli.output import Format, FormatOption, emit
from exportguard.cli.runtime import state
from exportguard.domain.access import Action, require
from exportguard.domain.errors import InvalidInput
from exportguard.services.kernel import audit, ledger
from exportguard.settings import Settings

app = typer.Typer(help="The audit log: verify the chain, list events.", no_args_is_help=True)

EXIT_BROKEN = 1


@app.command("verify")
def verify(
    ctx: typer.Context,
    public_key: Annotated[
        str | None,
        typer.Option(
            envvar="EXPORTGUARD_AUDIT_PUBLIC_KEY",
            help="The log's public key (hex); default: the one of EXPORTGUARD_AUDIT_KEY_FILE",
        ),
    ] = None,
) -> None:
    """Check the audit log against its last published checkpoint (EXPORTGUARD_CHECKPOINT_FILE), every
    event against its hash, and every permit's state, validity, lines, history and drawn balances
    and every shipment against the events.

    Exits 1 naming the first break and each record that disagrees with its events. Read command:
    runs as the local operator (auditor) without a credential.
    """
    cli = state(ctx)
    actor = cli.reader()
    chosen = ledger.Ledger.from_settings(Settings.from_env())
    published = chosen.checkpoints.latest()
    key = bytes.fromhex(public_key) if public_key else chosen.public_key()
    with cli.system().read() as session:
        report = audit.verify(session, actor, checkpoint=published, public_key=key)
    against = (
        f"the checkpoint of {published.timestamp} ({published.size} events)"
        if published
        else "no published checkpoint (run 'exportguard audit seal')"
    )
    if report.ok:
        typer.echo(
            f"audit chain intact: {report.events_checked} events verified against {against}, "
            f"{report.unsealed} not sealed yet; permit states agree"
        )
        return
    if report.chain_break is not None:
        typer.echo(f"audit chain broken at {report.chain_break}", err=True)
    for mismatch in report.mismatches:
        typer.echo(f"state mismatch: {mismatch}", err=True)
    for fact in report.facts:
        typer.echo(f"record mismatch: {fact}", err=True)
    typer.echo(f"{report.events_checked} events verified before the first break", err=True)
    raise typer.Exit(EXIT_BROKEN)


@app.command("seal")
def seal(ctx: typer.Context) -> None:
    """Seal the events committed since the last run into the Merkle tree, sign the new checkpoint
    (EXPORTGUARD_AUDIT_KEY_FILE) and publish it (EXPORTGUARD_CHECKPOINT_FILE). The job worker
    does this every minute; operator command."""
    cli = state(ctx)
    system = cli.system()
    chosen = ledger.Ledger.from_settings(Settings.from_env())
    with system.read() as session:
        made = ledger.seal(session, chosen, system.clock.now())
    if made is None:
        typer.echo("nothing new to seal")
        return
    typer.echo(f"sealed: {made.size} events, root {made.root.hex()}, published to {chosen.checkpoints.path}")


@app.command("public-key")
def public_key(ctx: typer.Context) -> None:
    """The public key (hex) that verifies the log's checkpoints: give it to auditors."""
    typer.echo(ledger.Ledger.from_settings(Settings.from_env()).signer().public.hex())


@app.command("prove")
def prove(
    ctx: typer.Context,
    seq: Annotated[int | None, typer.Option(help="An event's sequence number: its inclusion proof")] = None,
    since: Annotated[
        int | None, typer.Option(help="An earlier tree size: the consistency proof from it to now")
    ] = None,
) -> None:
    """Print an inclusion proof (--seq) or a consistency proof (--since) against the last published
    checkpoint, as JSON for scripts/audit-check (RFC 9162 2.1.3-2.1.4). Read command."""
    cli = state(ctx)
    actor = cli.reader()
    require(actor, Action.READ_AUDIT)
    published = ledger.Ledger.from_settings(Settings.from_env()).checkpoints.latest()
    if published is None:
        raise InvalidInput.of("checkpoint", "no checkpoint has been published: run 'exportguard audit seal'")
    if (seq is None) == (since is None):
        raise InvalidInput.of("seq", "give --seq or --since (one of them)")
    with cli.system().read() as session:
        found = (
            ledger.inclusion(session, seq, published)
            if seq is not None
            else ledger.consistency(session, since or 0, published)
        )
    typer.echo(json.dumps(found, indent=2))


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
