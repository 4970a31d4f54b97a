"""Pages: the public's allegation form (no account), triage, and the investigation's page.

The investigation's page shows the whole story in date order and carries its named commands as
forms (question, finding, request, answer, evidence, recommended act); the director and the minister
preview a recommended act on exactly its permits and execute it. The services check every rule;
the page only hides what they would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from exportguard.domain.errors import DomainError, Problem
from exportguard.domain.evidence import MAX_FILE_BYTES
from exportguard.domain.investigations import ActionKind, ConsultationKind, Finding, Outcome, SourceKind
from exportguard.services.investigations import actions, allegations, commands, evidence, views
from exportguard.web.api.investigations import EVIDENCE_BODY_LIMIT, allegation_rate, attachment_headers
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.errors import validation_problems
from exportguard.web.pages.forms import PostedForm
from exportguard.web.pages.rendering import form_page, page
from exportguard.web.params import RecordIdPath
from exportguard.web.request_limits import KIB, PUBLIC

router = APIRouter()


def _fields(form: FormData) -> tuple[dict[str, str], list[UploadFile]]:
    files = [v for v in form.values() if isinstance(v, UploadFile)]
    return {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}, files


def _problems(exc: Exception) -> list[Problem]:
    if isinstance(exc, ValidationError):
        return validation_problems(exc.errors())
    assert isinstance(exc, DomainError)
    if exc.status in (401, 403, 404):
        raise exc
    return exc.problems or [Problem("", str(exc))]


@router.get("/report")
def report_form(request: Request, actor: PageActor) -> Response:
    return form_page(request, "report.html", actor, [], chosen={}, kinds=list(SourceKind))


@router.post("/report", dependencies=[Depends(allegation_rate)], openapi_extra=PUBLIC, max_body_size=64 * KIB)
def report(request: Request, system: System, actor: PageActor, posted: PostedForm) -> Response:
    """File an allegation without an account; the acknowledgement is all that is shown."""
    fields, _ = _fields(posted)
    concerns = [
        {"kind": kind, "value": fields[f"concern_{kind}"]}
        for kind in ("destination", "third_country", "conflict", "permit", "party", "product")
        if fields.get(f"concern_{kind}")
    ]
    body = {
        "source_kind": fields.get("source_kind", ""),
        "source_name": fields.get("source_name", ""),
        "claim": fields.get("claim", ""),
        "claimed_on": fields.get("claimed_on") or None,
        "contact": fields.get("contact", ""),
        "concerns": concerns,
    }
    try:
        data = allegations.AllegationInput.model_validate(body)
        receipt = run(system, actor, allegations.submit_allegation, data)
    except (ValidationError, DomainError) as exc:
        return form_page(request, "report.html", actor, _problems(exc), chosen=fields, kinds=list(SourceKind))
    return page(request, "report_received.html", actor, receipt=receipt, status_code=201)


@router.get("/allegations")
def allegations_page(request: Request, system: System, actor: PageActor) -> Response:
    with system.read() as session:
        rows = allegations.list_allegations(session, actor)
        inquiries = views.list_investigations(session, actor)
    return page(request, "allegations.html", actor, allegations=rows, investigations=inquiries)


def _allegation(
    request: Request,
    system: System,
    actor: PageActor,
    ref: str,
    *,
    problems: list[Problem],
    chosen: dict[str, str],
) -> Response:
    with system.read() as session:
        found = allegations.get_allegation(session, actor, ref)
        held = evidence.evidence_of(session, allegation_id=found.id)
    return form_page(request, "allegation.html", actor, problems, a=found, evidence=held, chosen=chosen)


@router.get("/allegations/{ref}")
def allegation_page(request: Request, system: System, actor: PageActor, ref: str) -> Response:
    return _allegation(request, system, actor, ref, problems=[], chosen={})


@router.post("/allegations/{ref}/triage")
def triage(request: Request, system: System, actor: PageActor, posted: PostedForm, ref: str) -> Response:
    fields, _ = _fields(posted)
    try:
        if fields.get("decision") == "dismiss":
            run(
                system,
                actor,
                allegations.dismiss,
                ref,
                allegations.DismissInput(reason=fields.get("reason", "")),
            )
            return RedirectResponse(f"/allegations/{ref}", status_code=303)
        data = allegations.OpenInput(
            title=fields.get("title", ""),
            reason=fields.get("reason", ""),
            investigators=[n.strip() for n in fields.get("investigators", "").split(",") if n.strip()],
        )
        inv = run(system, actor, commands.open_investigation, ref, data)
    except (ValidationError, DomainError) as exc:
        return _allegation(request, system, actor, ref, problems=_problems(exc), chosen=fields)
    return RedirectResponse(f"/investigations/{inv.reference}", status_code=303)


def _investigation(
    request: Request,
    system: System,
    actor: PageActor,
    ref: str,
    *,
    problems: list[Problem] | None = None,
    chosen: dict[str, str] | None = None,
    preview: object = None,
    action_id: int | None = None,
) -> Response:
    with system.read() as session:
        found = views.get_investigation(session, actor, ref)
    return form_page(
        request,
        "investigation.html",
        actor,
        problems or [],
        inv=found,
        chosen=chosen or {},
        preview=preview,
        preview_action=action_id,
        findings=list(Finding),
        outcomes=list(Outcome),
        consultation_kinds=list(ConsultationKind),
        action_kinds=list(ActionKind),
        max_bytes=MAX_FILE_BYTES,
        today=system.clock.today(),
    )


@router.get("/investigations/{ref}")
def investigation_page(request: Request, system: System, actor: PageActor, ref: str) -> Response:
    return _investigation(request, system, actor, ref)


# Each form of the investigation's page: the input it builds and the command it runs.
def _forms(
    ref: str, f: dict[str, str]
) -> dict[str, tuple[Callable[[], BaseModel], Callable[..., Any], tuple[Any, ...]]]:
    return {
        "question": (lambda: commands.QuestionInput(text=f.get("text", "")), commands.ask_question, (ref,)),
        "assign": (
            lambda: commands.AssignInput(
                investigators=[n.strip() for n in f.get("investigators", "").split(",") if n.strip()]
            ),
            commands.assign,
            (ref,),
        ),
        "finding": (
            lambda: commands.FindingInput.model_validate(
                {"finding": f.get("finding"), "rationale": f.get("rationale", "")}
            ),
            commands.record_finding,
            (ref, int(f.get("number") or 0)),
        ),
        "consult": (
            lambda: commands.ConsultInput.model_validate(
                {"kind": f.get("kind"), "addressee": f.get("addressee", ""), "request": f.get("request", "")}
            ),
            commands.consult,
            (ref,),
        ),
        "response": (
            lambda: commands.ResponseInput.model_validate(
                {"outcome": f.get("outcome"), "response": f.get("response", "")}
            ),
            commands.record_response,
            (ref, int(f.get("consultation") or 0)),
        ),
        "recommend": (
            lambda: actions.RecommendInput.model_validate(
                {
                    "command": f.get("command"),
                    "reason": f.get("reason", ""),
                    "permits": [
                        p.strip() for p in f.get("permits", "").replace("\n", ",").split(",") if p.strip()
                    ],
                }
            ),
            actions.recommend,
            (ref,),
        ),
        "link": (
            lambda: evidence.LinkInput(url=f.get("url", ""), description=f.get("description", "")),
            lambda uow, data: evidence.add_link(uow, "investigation", ref, data),
            (),
        ),
        "close": (
            lambda: commands.CloseInput.model_validate(
                {"outcome": f.get("outcome"), "summary": f.get("summary", "")}
            ),
            commands.close,
            (ref,),
        ),
    }


@router.post("/investigations/{ref}/{form_name}", max_body_size=EVIDENCE_BODY_LIMIT)
def investigation_command(
    request: Request, system: System, actor: PageActor, *, posted: PostedForm, ref: str, form_name: str
) -> Response:
    fields, files = _fields(posted)
    try:
        if form_name == "evidence":
            upload = files[0] if files else None
            content = upload.file.read(MAX_FILE_BYTES + 1) if upload else b""
            name = upload.filename or "" if upload else ""
            run(
                system,
                actor,
                lambda uow: evidence.add_file(
                    uow, "investigation", ref, name, content, description=fields.get("description", "")
                ),
            )
        elif form_name in ("preview", "execute"):
            return _act(request, system, actor, ref, what=form_name, f=fields)
        else:
            forms = _forms(ref, fields)
            if form_name not in forms:
                return RedirectResponse(f"/investigations/{ref}", status_code=303)
            build, command, args = forms[form_name]
            data = build()
            run(system, actor, lambda uow: command(uow, *args, data))
    except (ValidationError, DomainError) as exc:
        return _investigation(request, system, actor, ref, problems=_problems(exc), chosen=fields)
    return RedirectResponse(f"/investigations/{ref}#{form_name}", status_code=303)


def _act(
    request: Request, system: System, actor: PageActor, ref: str, *, what: str, f: dict[str, str]
) -> Response:
    action_id = int(f.get("action") or 0)
    data = actions.ExecuteInput.model_validate(
        {"effective_date": f.get("effective_date") or None, "decision_ref": f.get("decision_ref") or None}
    )
    if what == "preview":
        with system.read() as session:
            shown = actions.preview(session, actor, ref, action_id, data=data, today=system.clock.today())
        return _investigation(request, system, actor, ref, preview=shown, action_id=action_id, chosen=f)
    result = run(system, actor, lambda uow: actions.execute(uow, ref, action_id, data))
    return RedirectResponse(f"/ministerial-acts/{result.decision_ref}", status_code=303)


@router.get("/evidence/{evidence_id}/download")
def download(system: System, actor: PageActor, evidence_id: RecordIdPath) -> Response:
    """Always an attachment, never rendered: nothing held is served back as active content."""
    _view, content, name = run(system, actor, evidence.download, evidence_id)
    return Response(content, media_type="application/octet-stream", headers=attachment_headers(name))
