"""exportguard allegations | investigations: triage, questions, requests, evidence, findings, acts.

Read commands answer the case's questions: which allegations led to which acts
(``investigations acts``) and an investigation's story in date order (``investigations timeline``);
assurances and lobbying are in cli/assurances.py.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from exportguard.cli.output import Format, FormatOption, emit, emit_one
from exportguard.cli.runtime import date_option, day, state
from exportguard.domain.errors import InvalidInput
from exportguard.domain.investigations import ActionKind, AllegationState, ConsultationKind, Finding, Outcome
from exportguard.services.investigations import actions, allegations, commands, evidence, views

allegations_app = typer.Typer(
    help="Allegations of misuse or diversion: record, list, triage.", no_args_is_help=True
)
investigations_app = typer.Typer(
    help="Investigations: questions, requests, evidence, findings, acts.", no_args_is_help=True
)
assurances_app = typer.Typer(
    help="End-use assurances given for applications and permits.", no_args_is_help=True
)
lobbying_app = typer.Typer(
    help="Lobbying on the record (Registry of Lobbyists open data).", no_args_is_help=True
)

On = Annotated[datetime | None, date_option("Date it takes effect (default: today)")]
Ref = Annotated[str, typer.Argument(help="Investigation reference, e.g. INV-2020-0001")]
ALLEGATION_COLUMNS = ("reference", "state", "source_kind", "source_name", "received_on", "investigation")


@allegations_app.command("list")
def list_allegations(
    ctx: typer.Context,
    state_: Annotated[AllegationState | None, typer.Option("--state")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Allegations, newest first (internal)."""
    cli = state(ctx)
    with cli.system().read() as session:
        rows = allegations.list_allegations(session, cli.reader(), state_)
    emit(rows, fmt, ALLEGATION_COLUMNS, title="Allegations")


@allegations_app.command("show")
def show_allegation(ctx: typer.Context, reference: str, fmt: FormatOption = Format.TABLE) -> None:
    cli = state(ctx)
    with cli.system().read() as session:
        emit_one(
            allegations.get_allegation(session, cli.reader(), reference), fmt, title=f"Allegation {reference}"
        )


@allegations_app.command("record")
def record_allegation(
    ctx: typer.Context,
    *,
    source_kind: Annotated[
        str,
        typer.Option(help="ngo, media, foreign_government, diaspora_organisation, whistle_blower or customs"),
    ],
    source: Annotated[str, typer.Option(help="Who makes the claim")],
    claim: Annotated[str, typer.Option(help="What is claimed")],
    concern: Annotated[
        list[str] | None, typer.Option(help="KIND:VALUE, e.g. conflict:Nagorno-Karabakh; repeat")
    ] = None,
    received: Annotated[datetime | None, date_option("Day received (default: today)")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Record an allegation received by letter, in the press, from customs... Needs a credential."""
    parsed = []
    for n, c in enumerate(concern or []):
        kind, sep, value = c.partition(":")
        if not sep:
            raise InvalidInput.of(f"concern[{n}]", "expected KIND:VALUE")
        parsed.append({"kind": kind, "value": value})
    data = allegations.RecordedAllegationInput.model_validate(
        {
            "source_kind": source_kind,
            "source_name": source,
            "claim": claim,
            "concerns": parsed,
            "received_on": day(received),
        }
    )
    emit_one(
        state(ctx).act(lambda uow: allegations.record_allegation(uow, data)), fmt, title="Allegation recorded"
    )


@allegations_app.command("dismiss")
def dismiss(
    ctx: typer.Context, reference: str, reason: Annotated[str, typer.Option()], on: On = None
) -> None:
    """Triage: dismiss with a reason. Needs a credential."""
    view = state(ctx).act(
        lambda uow: allegations.dismiss(uow, reference, allegations.DismissInput(reason=reason, on=day(on)))
    )
    typer.echo(f"{view.reference} dismissed: {view.dismissal_reason}")


@allegations_app.command("open")
def open_investigation(
    ctx: typer.Context,
    reference: str,
    *,
    title: Annotated[str, typer.Option()],
    reason: Annotated[str, typer.Option()],
    investigator: Annotated[list[str] | None, typer.Option(help="Principal to assign; repeat")] = None,
    join: Annotated[str | None, typer.Option(help="Add to this open investigation instead")] = None,
    on: On = None,
) -> None:
    """Triage: open an investigation on the allegation. Needs a credential."""
    data = allegations.OpenInput(
        title=title, reason=reason, investigators=investigator or [], join=join, on=day(on)
    )
    inv = state(ctx).act(lambda uow: commands.open_investigation(uow, reference, data))
    typer.echo(f"{reference}: investigation {inv.reference} ({inv.state})")


@investigations_app.command("list")
def list_investigations(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    cli = state(ctx)
    with cli.system().read() as session:
        rows = views.list_investigations(session, cli.reader())
    emit(rows, fmt, ("reference", "title", "state", "opened_on", "outcome"), title="Investigations")


@investigations_app.command("show")
def show(ctx: typer.Context, reference: Ref, fmt: FormatOption = Format.TABLE) -> None:
    """The investigation: allegations, questions and findings, requests, evidence, acts, timeline."""
    cli = state(ctx)
    with cli.system().read() as session:
        emit_one(
            views.get_investigation(session, cli.reader(), reference), fmt, title=f"Investigation {reference}"
        )


@investigations_app.command("timeline")
def timeline(ctx: typer.Context, reference: Ref, fmt: FormatOption = Format.TABLE) -> None:
    """The investigation's whole story in date order, with what was done on its findings."""
    cli = state(ctx)
    with cli.system().read() as session:
        view = views.get_investigation(session, cli.reader(), reference)
    emit(view.timeline, fmt, ("on", "kind", "summary", "by", "ref"), title=f"{reference}: {view.title}")


@investigations_app.command("acts")
def acts(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Which allegations led to which ministerial acts."""
    cli = state(ctx)
    with cli.system().read() as session:
        rows = views.acts_from_allegations(session, cli.reader())
    columns = (
        "allegation",
        "source_name",
        "investigation",
        "command",
        "decision_ref",
        "effective_date",
        "decided_by",
        "permits",
    )
    emit(rows, fmt, columns, title="Allegations that led to acts")


@investigations_app.command("ask")
def ask(ctx: typer.Context, reference: Ref, question: str, on: On = None) -> None:
    """Ask a question the investigation must answer. Needs a credential."""
    q = state(ctx).act(
        lambda uow: commands.ask_question(uow, reference, commands.QuestionInput(text=question, on=day(on)))
    )
    typer.echo(f"{reference}: question {q.number} asked")


@investigations_app.command("find")
def find(
    ctx: typer.Context,
    reference: Ref,
    *,
    number: int,
    finding: Finding,
    rationale: Annotated[str, typer.Option()],
    on: On = None,
) -> None:
    """Record the finding on a question: yes, no or insufficient_evidence. Needs a credential."""
    data = commands.FindingInput(finding=finding, rationale=rationale, on=day(on))
    state(ctx).act(lambda uow: commands.record_finding(uow, reference, number, data))
    typer.echo(f"{reference}: question {number}: {finding.value}")


@investigations_app.command("consult")
def consult(
    ctx: typer.Context,
    reference: Ref,
    *,
    kind: ConsultationKind,
    addressee: str,
    request: Annotated[str, typer.Option()],
    on: On = None,
) -> None:
    """A request to a department or a foreign government. Needs a credential."""
    data = commands.ConsultInput(kind=kind, addressee=addressee, request=request, on=day(on))
    c = state(ctx).act(lambda uow: commands.consult(uow, reference, data))
    typer.echo(f"{reference}: request {c.id} to {c.addressee}")


@investigations_app.command("evidence")
def add_evidence(
    ctx: typer.Context, reference: Ref, file: Path, description: Annotated[str, typer.Option()] = ""
) -> None:
    """Attach a file (at most 10 MiB; PDF, images, plain text). Needs a credential."""
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise InvalidInput.of("file", f"cannot read {file}: {exc.strerror}") from None
    view = state(ctx).act(
        lambda uow: evidence.add_file(
            uow, "investigation", reference, file.name, content, description=description
        )
    )
    typer.echo(f"evidence {view.id} sha256 {view.sha256}" + (f" ({view.note})" if view.duplicate else ""))


@investigations_app.command("recommend")
def recommend(
    ctx: typer.Context,
    reference: Ref,
    *,
    command: ActionKind,
    permit: Annotated[list[str], typer.Option(help="Permit number; repeat")],
    reason: Annotated[str, typer.Option()],
    on: On = None,
) -> None:
    """Recommend an act (suspend, cancel, reinstate) on exactly the permits named. Needs a credential."""
    data = actions.RecommendInput(command=command, permits=permit, reason=reason, on=day(on))
    view = state(ctx).act(lambda uow: actions.recommend(uow, reference, data))
    typer.echo(f"{reference}: recommended act {view.id}: {view.command} {', '.join(view.permits)}")


@investigations_app.command("execute")
def execute(ctx: typer.Context, reference: Ref, action: int, on: On = None) -> None:
    """The Minister executes a recommended act through the bulk-act machinery. Needs a credential."""
    result = state(ctx).act(
        lambda uow: actions.execute(uow, reference, action, actions.ExecuteInput(effective_date=day(on)))
    )
    typer.echo(
        f"{result.decision_ref}: {result.command} {result.permit_count} permit(s) on {result.effective_date}"
    )


@investigations_app.command("close")
def close(
    ctx: typer.Context,
    reference: Ref,
    outcome: Outcome,
    summary: Annotated[str, typer.Option()],
    on: On = None,
) -> None:
    """Close with an outcome that matches what was done. Needs a credential."""
    state(ctx).act(
        lambda uow: commands.close(
            uow, reference, commands.CloseInput(outcome=outcome, summary=summary, on=day(on))
        )
    )
    typer.echo(f"{reference}: closed ({outcome.value})")
