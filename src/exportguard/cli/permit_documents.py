"""exportguard permits issue | document: issue a permit on an approved application (EIPA s.7(1)),
and write a permit version as its printable PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from exportguard import i18n
from exportguard.cli.authorisations import parse_line
from exportguard.cli.output import Format, FormatOption, emit_one
from exportguard.cli.reports import Lang
from exportguard.cli.reports import _lang as language
from exportguard.cli.runtime import date_option, day, state
from exportguard.domain.errors import InvalidInput
from exportguard.reports.permit_document import render_permit, verification_url
from exportguard.services.applications import queries as application_queries
from exportguard.services.permits import commands as permits
from exportguard.services.permits.documents import permit_document

DEFAULT_SITE = "http://127.0.0.1:8000"


def issue(
    ctx: typer.Context,
    application_id: Annotated[int, typer.Argument(help="The approved application's id")],
    *,
    valid_to: Annotated[datetime, date_option("Last day of validity", "--valid-to")],
    valid_from: Annotated[datetime | None, date_option("First day of validity (default: issue date)")] = None,
    line: Annotated[
        list[str] | None,
        typer.Option(
            "--line",
            help="APPLICATION_LINE:QUANTITY, e.g. 1:4 (repeatable; default: every line in full)",
        ),
    ] = None,
    conditions: Annotated[str, typer.Option(help="Conditions printed on the permit")] = "",
    number: Annotated[
        str | None, typer.Option(help="Permit number (default: the next EXP-YYYY-NNNNNN)")
    ] = None,
    issued_on: Annotated[datetime | None, date_option("Issue date (default: today)")] = None,
    retroactive: Annotated[
        str | None,
        typer.Option(
            "--retroactive",
            metavar="REASON",
            help="EIPA s.8.5: valid from before the issue date, and why (recorded in the audit log)",
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Issue a permit on an approved application (EIPA s.7(1)); its parties are screened again
    first. Validity starts on the issue date unless the permit is retroactive (--retroactive
    REASON, EIPA s.8.5). Needs a credential (an officer or the director)."""
    cli = state(ctx)
    actor = cli.writer()
    if line:
        wanted = [parse_line(s, by="application_line_no", option="line") for s in line]
    else:
        with cli.system().read() as session:
            app = application_queries.get_application(session, actor, application_id)
        wanted = [{"application_line_no": x.line_no, "quantity": x.quantity} for x in app.lines]
    start = day(valid_from) or day(issued_on) or cli.today()
    data = permits.IssueInput.model_validate(
        {
            "valid_from": start,
            "valid_to": day(valid_to),
            "lines": wanted,
            "conditions": conditions,
            "number": number,
            "issued_on": day(issued_on),
            "retroactive": retroactive is not None,
            "retroactive_reason": retroactive,
        }
    )
    view = cli.act(lambda uow: permits.issue_permit(uow, application_id, data))
    emit_one(view, fmt, title=f"Permit {view.number}/v{view.version} issued")


def document(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Permit number (latest version) or id", metavar="NUMBER_OR_ID")],
    *,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PDF")],
    site: Annotated[
        str, typer.Option(help="The site's address, for the QR code and short link")
    ] = DEFAULT_SITE,
    lang: Lang = "en",
) -> None:
    """Write the permit version as its printable PDF (in English or French), with the QR code of
    its verification page."""
    cli = state(ctx)
    actor = cli.reader()
    if not site.startswith(("http://", "https://")):
        raise InvalidInput.of("site", f"'{site}' is not an http(s) address")
    with cli.system().read() as session:
        doc = permit_document(session, actor, key, cli.today())
    url = verification_url(site, doc.permit.id, doc.verification_code)
    with i18n.using(language(lang)):
        body = render_permit(doc, url)
    try:
        output.write_bytes(body)
    except OSError as exc:
        raise InvalidInput.of("output", f"cannot write {output}: {exc.strerror}") from None
    typer.echo(f"{output}: permit {doc.permit.number}/v{doc.permit.version}; verify at {url}")
