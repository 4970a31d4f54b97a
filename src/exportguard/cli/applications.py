"""exportguard applications: list, show, and the named commands of the application lifecycle."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from exportguard.adapters.yaml_files import load_yaml
from exportguard.cli.output import Format, FormatOption, emit, emit_one
from exportguard.cli.runtime import date_option, day, state
from exportguard.domain.applications import ApplicationState
from exportguard.domain.assessment import DenialReason
from exportguard.domain.errors import InvalidInput
from exportguard.services.applications import assessments
from exportguard.services.applications import commands as applications
from exportguard.services.applications import queries as application_queries

app = typer.Typer(
    help="Applications: list, show, draft, submit, begin-review, assess, advise, approve, deny, withdraw.",
    no_args_is_help=True,
)

ApplicationId = Annotated[int, typer.Argument(help="Application id")]
EffectiveDate = Annotated[datetime | None, date_option("When the act takes effect (default: today)")]
InputFile = Annotated[Path, typer.Option("--file", help="YAML or JSON file with the command's input")]
COLUMNS = (
    "id",
    "reference",
    "version",
    "applicant",
    "destination",
    "state",
    "application_date",
    "submitted_on",
)


def _read(path: Path) -> Any:
    """The input file's content; its fields are validated by the command's input model."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput.of("file", f"cannot read {path}: {exc.strerror}") from None
    try:
        return json.loads(text) if path.suffix == ".json" else load_yaml(text)
    except (ValueError, RecursionError) as exc:  # JSON; YAML's errors are InvalidInput already
        raise InvalidInput.of("file", f"{path} is not valid JSON: {exc}") from None


@app.command("list")
def list_applications(
    ctx: typer.Context,
    *,
    destination: Annotated[str | None, typer.Option(help="ISO 3166 code, e.g. TR")] = None,
    state_: Annotated[ApplicationState | None, typer.Option("--state", help="State (as of --as-of)")] = None,
    as_of: Annotated[datetime | None, date_option("State on this date (default: as stored now)")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Applications matching the filters (read command: the local operator without a credential)."""
    cli = state(ctx)
    actor = cli.reader()
    f = application_queries.ApplicationFilter(
        destination=destination.upper() if destination else None, state=state_, as_of=day(as_of)
    )
    with cli.system().read() as session:
        found = application_queries.list_applications(session, actor, f)
    emit(found, fmt, COLUMNS, title="Applications")


@app.command("show")
def show(ctx: typer.Context, application_id: ApplicationId, fmt: FormatOption = Format.TABLE) -> None:
    """One application with its lines, documents, history, assessment, advice and decisions."""
    cli = state(ctx)
    actor = cli.reader()
    system = cli.system()
    with system.read() as session:
        view = application_queries.get_application(session, actor, application_id)
        assessment = assessments.read_assessment(session, actor, application_id, system.clock.today())
    emit_one(view, fmt, title=f"Application {view.reference}/v{view.version}")
    if fmt is not Format.CSV:
        emit_one(assessment, fmt, title="Assessment and decision")


@app.command("draft")
def draft(ctx: typer.Context, file: InputFile, fmt: FormatOption = Format.TABLE) -> None:
    """Draft an application from a file (EPR s.3 content; see ApplicationInput). Needs a credential."""
    data = applications.ApplicationInput.model_validate(_read(file))
    view = state(ctx).act(lambda uow: applications.draft_application(uow, data))
    emit_one(view, fmt, title=f"Application {view.reference}/v{view.version}")


@app.command("submit")
def submit(
    ctx: typer.Context,
    application_id: ApplicationId,
    effective_date: EffectiveDate = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Submit a draft; refused with every missing piece listed (EPR s.3). Needs a credential."""
    view = state(ctx).act(
        lambda uow: applications.submit_application(uow, application_id, effective_date=day(effective_date))
    )
    emit_one(view, fmt, title=f"Application {view.reference}/v{view.version}: {view.state}")


@app.command("begin-review")
def begin_review(
    ctx: typer.Context,
    application_id: ApplicationId,
    effective_date: EffectiveDate = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Take a submitted application under review (officer). Needs a credential."""
    view = state(ctx).act(
        lambda uow: applications.begin_review(uow, application_id, effective_date=day(effective_date))
    )
    emit_one(view, fmt, title=f"Application {view.reference}/v{view.version}: {view.state}")


@app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    application_id: ApplicationId,
    *,
    reason: Annotated[str, typer.Option(help="Why it is withdrawn")],
    effective_date: EffectiveDate = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Withdraw an application. Needs a credential."""
    view = state(ctx).act(
        lambda uow: applications.withdraw_application(
            uow, application_id, reason=reason, effective_date=day(effective_date)
        )
    )
    emit_one(view, fmt, title=f"Application {view.reference}/v{view.version}: {view.state}")


@app.command("assess")
def assess(
    ctx: typer.Context, application_id: ApplicationId, file: InputFile, fmt: FormatOption = Format.TABLE
) -> None:
    """Record the EIPA s.7.3 assessment from a file (six findings, mitigation, recommendation).
    Needs a credential."""
    data = assessments.AssessmentInput.model_validate(_read(file))
    view = state(ctx).act(lambda uow: assessments.record_assessment(uow, application_id, data))
    emit_one(view, fmt, title="Assessment")


@app.command("advise")
def advise(
    ctx: typer.Context, application_id: ApplicationId, file: InputFile, fmt: FormatOption = Format.TABLE
) -> None:
    """Give a department's advice from a file (advisor). Needs a credential."""
    data = assessments.AdviceInput.model_validate(_read(file))
    view = state(ctx).act(lambda uow: assessments.give_advice(uow, application_id, data))
    emit_one(view, fmt, title="Assessment")


@app.command("approve")
def approve(
    ctx: typer.Context,
    application_id: ApplicationId,
    *,
    justification: Annotated[str, typer.Option(help="Why it is approved")],
    exception_measure: Annotated[
        str | None, typer.Option(help="Key of the policy this approval is an exception to")
    ] = None,
    exception_ground: Annotated[str | None, typer.Option(help="The exception ground relied on")] = None,
    effective_date: EffectiveDate = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Approve (director or minister); refused while a substantial risk remains (EIPA s.7.4).
    Needs a credential."""
    cli = state(ctx)
    actor = cli.writer()
    exception = (
        {"measure": exception_measure, "ground": exception_ground, "justification": justification}
        if exception_measure
        else None
    )
    data = assessments.ApprovalInput(
        justification=justification, effective_date=day(effective_date), policy_exception=exception
    )
    with cli.system().uow(actor) as uow:
        view = assessments.approve_application(uow, application_id, data)
    emit_one(view, fmt, title="Decision")


@app.command("deny")
def deny(
    ctx: typer.Context,
    application_id: ApplicationId,
    *,
    reason: Annotated[list[DenialReason], typer.Option(help="A criterion; repeat for several")],
    justification: Annotated[str, typer.Option(help="Why it is denied")],
    effective_date: EffectiveDate = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Deny (director or minister), recording the criteria. Needs a credential."""
    cli = state(ctx)
    actor = cli.writer()
    data = assessments.DenialInput(
        reasons=reason, justification=justification, effective_date=day(effective_date)
    )
    with cli.system().uow(actor) as uow:
        view = assessments.deny_application(uow, application_id, data)
    emit_one(view, fmt, title="Decision")
