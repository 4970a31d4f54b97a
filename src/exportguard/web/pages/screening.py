"""Screening pages: the review tasks (open hits) with a form to record a disposition, and the
list snapshots with their diffs. Who may see or act is decided by the services
(PERMISSIONS[READ_SCREENING], [RECORD_SCREENING_DISPOSITION]); exporters get 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from exportguard.domain.errors import DomainError
from exportguard.services.screening import commands as screening
from exportguard.services.screening import queries as screening_queries
from exportguard.web.api.screening import DispositionInput
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.errors import validation_problems
from exportguard.web.pages.rendering import page
from exportguard.web.params import RecordIdPath

router = APIRouter()


def _review(
    request: Request, system: System, actor: PageActor, *, status_code: int = 200, **context: object
) -> Response:
    with system.read() as session:
        tasks = screening_queries.review_tasks(session, actor, "open")
    return page(request, "screening.html", actor, status_code=status_code, tasks=tasks, **context)


@router.get("/screening")
def review_page(request: Request, system: System, actor: PageActor, recorded: int | None = None) -> Response:
    done = None
    if recorded is not None:
        with system.read() as session:
            done = screening_queries.get_hit(session, actor, recorded)
    return _review(request, system, actor, done=done)


@router.post("/screening/hits/{hit_id}/disposition")
def record_disposition(
    request: Request,
    system: System,
    actor: PageActor,
    hit_id: RecordIdPath,
    *,
    disposition: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        body = DispositionInput.model_validate({"disposition": disposition, "reason": reason})
        run(system, actor, screening.record_disposition, hit_id, body.disposition, body.reason)
    except ValidationError as exc:
        problems = validation_problems(exc.errors())
        return _review(
            request, system, actor, status_code=422, failed=hit_id, problems=problems, reason=reason
        )
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _review(
            request,
            system,
            actor,
            status_code=exc.status,
            failed=hit_id,
            problems=exc.problems,
            reason=reason,
        )
    # Post/Redirect/Get: a reload does not send the disposition again.
    return RedirectResponse(f"/screening?recorded={hit_id}", status_code=303)


@router.get("/lists/diff")
def diff_page(
    request: Request,
    system: System,
    actor: PageActor,
    from_: Annotated[int, Query(alias="from", ge=1)],
    to: Annotated[int, Query(ge=1)],
) -> Response:
    with system.read() as session:
        diff = screening_queries.diff_snapshots(session, actor, from_, to)
    return page(request, "list_diff.html", actor, diff=diff)
