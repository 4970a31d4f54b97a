"""Importing a sanctions list's published files in the browser (PERMISSIONS[IMPORT_LIST]), then
reviewing what changed: the new snapshot's diff with the one before. A malformed file is refused
naming its bad lines, and nothing is loaded; the same files twice change nothing."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from exportguard.domain.access import Action, Actor, require
from exportguard.domain.errors import DomainError, InvalidInput, Problem
from exportguard.services.screening import commands as screening
from exportguard.services.screening import list_imports
from exportguard.services.system import ExportGuard
from exportguard.web.api.screening import MAX_UPLOAD_BYTES
from exportguard.web.api.use_case import run
from exportguard.web.auth import PageActor, System
from exportguard.web.pages.rendering import page, problems_by_field

router = APIRouter()
FORM_OVERHEAD = 64 * 1024


def lists_page(
    request: Request,
    system: ExportGuard,
    actor: Actor,
    *,
    status: int = 200,
    problems: list[Problem] | None = None,
    **context: object,
) -> Response:
    with system.read() as session:
        snapshots = list(reversed(screening.list_snapshots(session, actor)))
    problems = problems or []
    return page(
        request,
        "lists.html",
        actor,
        status_code=status if problems else 200,
        snapshots=snapshots,
        sources=list_imports.known_sources(),
        problems=problems,
        errors=problems_by_field(problems),
        **context,
    )


@router.get("/lists")
def lists(
    request: Request, system: System, actor: PageActor, imported: int | None = None, again: int = 0
) -> Response:
    return lists_page(request, system, actor, imported=imported, again=bool(again), chosen="")


async def _files(uploads: list[UploadFile]) -> list[tuple[str, bytes]]:
    out = []
    for upload in uploads:
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise InvalidInput.of("file", f"{upload.filename} is larger than {MAX_UPLOAD_BYTES} bytes")
        if data:
            out.append((upload.filename or "upload", data))
    if not out:
        raise InvalidInput.of("file", "choose the list's published file (or files, for a set)")
    return out


@router.post("/lists/import", max_body_size=MAX_UPLOAD_BYTES + FORM_OVERHEAD)
async def import_list(request: Request, system: System, actor: PageActor) -> Response:
    require(actor, Action.IMPORT_LIST)  # before the files are read
    form = await request.form()
    source = str(form.get("source") or "").strip()
    try:
        files = await _files([f for f in form.getlist("file") if isinstance(f, UploadFile)])
        view = await run_in_threadpool(run, system, actor, list_imports.import_files, source, files)
    except DomainError as exc:
        if exc.status in (401, 403):
            raise
        problems = list(exc.problems) or [Problem("file", str(exc))]
        return await run_in_threadpool(
            lists_page, request, system, actor, status=exc.status, problems=problems, chosen=source
        )
    # Post/Redirect/Get; the snapshot's row links to its diff with the one before.
    return RedirectResponse(
        f"/lists?imported={view.snapshot_id}&again={0 if view.created else 1}#snapshot-{view.snapshot_id}",
        status_code=303,
    )
