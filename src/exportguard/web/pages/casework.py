"""The officers' workplace: the work queue, taking a case, requests for information (and the
exporter's answer with documents), sending for advice, and the files of an application.

The assessment, advice, decision and issue forms are in ``decisions.py``. The services check every
rule (roles, states, dates); a page only offers what the reader's role may do.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from exportguard.domain.access import Action, Actor, may
from exportguard.domain.applications import ApplicationState, DocumentKind
from exportguard.domain.errors import DomainError, InvalidInput, NotFound, NotPermitted, Problem
from exportguard.domain.evidence import MAX_FILE_BYTES
from exportguard.i18n import gettext as _
from exportguard.services.applications import answers, casework, commands, files
from exportguard.services.applications.queue import SERVICE_STANDARD_DAYS, QueueFilter, assignees, work_queue
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.pages.applications import case_page
from exportguard.web.pages.forms import PostedForm, plain_problems, problems_of, read_form
from exportguard.web.pages.rendering import form_page
from exportguard.web.params import RecordIdPath

router = APIRouter()
QUEUE_FILTERS = ("state", "destination", "item_group", "min_age", "assignee")
CASEWORK = (Action.REVIEW_APPLICATION, Action.GIVE_ADVICE, Action.DECIDE_APPLICATION)


@router.get("/queue")
def queue(request: Request, system: System, actor: PageActor) -> Response:
    if not any(may(actor.role, a) for a in CASEWORK):
        raise NotPermitted(
            "the work queue is for officers, advisors and deciders", [Problem("role", actor.role)]
        )
    chosen = {k: v.strip() for k in QUEUE_FILTERS if (v := request.query_params.get(k, "")).strip()}
    problems: list[Problem] = []
    try:
        f = QueueFilter.model_validate(chosen)
    except ValidationError as exc:
        problems, f = plain_problems(exc.errors()), QueueFilter()
    with system.read() as session:
        rows = [] if problems else work_queue(session, actor, f, system.clock.today())
        officers = assignees(session, actor)
    return form_page(
        request,
        "queue.html",
        actor,
        problems,
        rows=rows,
        chosen=chosen,
        states=list(ApplicationState),
        standard=SERVICE_STANDARD_DAYS,
        assignee_options=[("me", _("me")), ("none", _("nobody")), *((o, o) for o in officers)],
    )


def _back(application_id: RecordIdPath, anchor: str = "") -> Response:
    return RedirectResponse(f"/applications/{application_id}{anchor}", status_code=303)


@router.post("/applications/{application_id}/take")
def take(
    request: Request, system: System, actor: PageActor, posted: PostedForm, application_id: RecordIdPath
) -> Response:
    """Take the case from the queue: its review begins (if it had not) and it is assigned to me."""
    read_form(posted)
    with system.read() as session:
        state = commands.load_application(session, actor, application_id).state
    try:
        if state == ApplicationState.SUBMITTED.value:
            run(system, actor, commands.begin_review, application_id)
        run(system, actor, casework.assign_to_me, application_id)
    except DomainError as exc:
        return case_page(request, system, actor, application_id, problems=problems_of(exc))
    return _back(application_id)


def _case_form(
    request: Request,
    system: System,
    actor: Actor,
    application_id: RecordIdPath,
    *,
    exc: Exception,
    f: dict[str, Any],
) -> Response:
    assert isinstance(exc, ValidationError | DomainError)
    return case_page(request, system, actor, application_id, problems=problems_of(exc), chosen=f)


@router.post("/applications/{application_id}/requests")
def ask(
    request: Request, system: System, actor: PageActor, posted: PostedForm, application_id: RecordIdPath
) -> Response:
    f, _files = read_form(posted)
    try:
        data = casework.InformationRequestInput.model_validate(
            {"question": f.get("question", ""), "due_on": f.get("due_on") or None}
        )
        run(system, actor, casework.request_information, application_id, data)
    except (ValidationError, DomainError) as exc:
        return _case_form(request, system, actor, application_id, exc=exc, f=f)
    return _back(application_id, "#requests")


@router.post("/applications/{application_id}/requests/{request_id}/answer")
def answer(
    request: Request,
    system: System,
    actor: PageActor,
    *,
    posted: PostedForm,
    application_id: RecordIdPath,
    request_id: RecordIdPath,
) -> Response:
    """The exporter's answer and its documents in one submission: one command, all recorded or
    nothing (a refused file leaves the answer unsent and says why beside the file)."""
    f, _uploads = read_form(posted)
    form = posted
    uploads = [u for u in form.getlist("file") if isinstance(u, UploadFile) and u.filename]
    try:
        data = casework.AnswerInput.model_validate({"answer": f.get("answer", "")})
        if (f.get("kind") or "other") not in set(DocumentKind):
            raise InvalidInput.of("kind", _("Choose one of the options."))
        kind = DocumentKind(f.get("kind") or "other")
        documents = [
            answers.Attachment(kind, u.filename or "", u.file.read(MAX_FILE_BYTES + 1))
            for u in uploads[: answers.MAX_DOCUMENTS + 1]
        ]
        run(system, actor, answers.answer_information_request, request_id, data, documents)
    except (ValidationError, DomainError) as exc:
        return _case_form(request, system, actor, application_id, exc=exc, f=f)
    return _back(application_id, "#requests")


@router.post("/applications/{application_id}/advice-requests")
def send_for_advice(
    request: Request, system: System, actor: PageActor, posted: PostedForm, application_id: RecordIdPath
) -> Response:
    f, _files = read_form(posted)
    try:
        data = casework.AdviceRequestInput.model_validate(
            {
                "department": f.get("department", ""),
                "due_on": f.get("advice_due_on") or None,
                "note": f.get("note", ""),
            }
        )
        run(system, actor, casework.request_advice, application_id, data)
    except (ValidationError, DomainError) as exc:
        # The form's date field is "advice_due_on" (the request-for-information form has "due_on").
        problems = [
            Problem("advice_due_on" if p.field == "due_on" else p.field, p.message, p.said)
            for p in problems_of(exc)
        ]
        return case_page(request, system, actor, application_id, problems=problems, chosen=f)
    return _back(application_id, "#advice")


@router.get("/applications/{application_id}/files/{file_id}")
def download(
    system: System, actor: PageActor, application_id: RecordIdPath, file_id: RecordIdPath
) -> Response:
    """Always an attachment of no particular type: an uploaded file is never run by the browser."""
    with system.read() as session:
        view, content = files.read_file(session, actor, file_id)
    if view.application_id != application_id:
        raise NotFound(
            f"no file {file_id} on application {application_id}", [Problem("file_id", "not found")]
        )
    return Response(
        content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{files.download_name(view)}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
