"""exportguard notices list | deliver: the outbox of notices to permit holders."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from exportguard.adapters.notifications import NoticeSender, SmtpEmailSender, WebhookSender
from exportguard.cli.output import Format, FormatOption, emit, emit_one
from exportguard.cli.runtime import state
from exportguard.services.permits import notices

app = typer.Typer(help="Notices to permit holders (outbox): list, deliver.", no_args_is_help=True)


@app.command("list")
def list_notices(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="pending, delivered or failed")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Notices in the outbox (read command)."""
    cli = state(ctx)
    with cli.system().read() as session:
        found = notices.list_notices(session, cli.reader(), status)
    emit(
        found,
        fmt,
        ("id", "holder_id", "channel", "address", "status", "attempts", "subject"),
        title="Notices",
    )


@app.command("deliver")
def deliver(
    ctx: typer.Context,
    smtp_host: Annotated[
        str, typer.Option(envvar="EXPORTGUARD_SMTP_HOST", help="SMTP server for email")
    ] = "localhost",
    smtp_port: Annotated[int, typer.Option(envvar="EXPORTGUARD_SMTP_PORT")] = 25,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Deliver due notices; failures are retried later with backoff; a delivered notice is never re-sent."""
    cli = state(ctx)
    senders: dict[str, NoticeSender] = {
        "email": SmtpEmailSender(
            smtp_host,
            smtp_port,
            sender=os.environ.get("EXPORTGUARD_SMTP_FROM", "export-controls@example.invalid"),
        ),
        "webhook": WebhookSender(),
    }
    report = notices.deliver_due(cli.system(), cli.reader(), senders)
    emit_one(report, fmt, title="Notice delivery")
