"""exportguard policies show | apply | determine | exceptions (``policies list`` is in reference.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from exportguard.cli.output import Format, FormatOption, emit, emit_one
from exportguard.cli.runtime import date_option, day, state
from exportguard.domain.errors import InvalidInput
from exportguard.services.policy import determination, policy_files
from exportguard.services.policy import measures as policies


def show(ctx: typer.Context, key: str, fmt: FormatOption = Format.TABLE) -> None:
    """Every version of one measure, oldest first (read command)."""
    with state(ctx).system().read() as session:
        versions = policies.measure_versions(session, key)
    columns = (
        "key",
        "version",
        "kind",
        "effective_from",
        "effective_to",
        "exception_authority",
        "recorded_at",
    )
    emit(versions, fmt, columns, title=f"Measure {key}")


def apply(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A policy file (YAML) with 'name' and 'measures'")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Apply a policy file: new measures recorded, changed ones versioned, the rest unchanged.
    Needs a credential."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput.of("file", f"cannot read {file}: {exc.strerror}") from None
    policy, digest = policy_files.parse_policy_file(text)
    report = state(ctx).act(lambda uow: policy_files.apply_policy_file(uow, policy, digest))
    emit_one(report, fmt, title=f"Policy file {report.file}: {'changed' if report.changed else 'no change'}")


def determine(
    ctx: typer.Context,
    *,
    destination: Annotated[str, typer.Option(help="ISO 3166 code, e.g. TR")],
    item: Annotated[list[str] | None, typer.Option(help="Export Control List item; repeat")] = None,
    product: Annotated[list[int] | None, typer.Option(help="Product id; repeat")] = None,
    exporter: Annotated[int | None, typer.Option(help="Exporter party id (GEP 41 registration)")] = None,
    consignee: Annotated[int | None, typer.Option(help="Consignee party id")] = None,
    end_user: Annotated[int | None, typer.Option(help="End user party id")] = None,
    on: Annotated[datetime | None, date_option("Date of the proposed export (default: today)")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Is a permit required, does a general permit cover it, which measures apply; with the trace."""
    cli = state(ctx)
    data = determination.ProposedExport(
        destination=destination,
        items=item or [],
        products=product or [],
        exporter_id=exporter,
        consignee_id=consignee,
        end_user_id=end_user,
        on=day(on),
    )
    with cli.system().read() as session:
        view = determination.determine_export(session, cli.reader(), data, cli.today())
    emit_one(view, fmt, title=f"Determination: {view.outcome}")


def exceptions(
    ctx: typer.Context,
    measure: Annotated[str | None, typer.Option(help="Only exceptions to this measure")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Applications approved as exceptions to a policy: by whom, on what ground and justification."""
    cli = state(ctx)
    with cli.system().read() as session:
        found = determination.list_exceptions(session, cli.reader(), measure)
    columns = ("application", "destination", "exporter", "decided_by", "decided_on", "measure", "ground")
    emit(found, fmt, columns, title="Policy exceptions")


def register(policies_app: typer.Typer) -> None:
    """Add these commands to ``exportguard policies`` (whose ``list`` lives in cli/reference.py)."""
    for name, command in (
        ("show", show),
        ("apply", apply),
        ("determine", determine),
        ("exceptions", exceptions),
    ):
        policies_app.command(name)(command)
