"""Denied-party screening: review tasks (hits) and their dispositions, screening a party or an
ad-hoc name, alerts raised by list imports, and the lists' snapshots (import, list, diff)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from pydantic import Field

from exportguard.domain.errors import InvalidInput
from exportguard.services.kernel.common import Input, NonEmpty
from exportguard.services.screening import commands as screening
from exportguard.services.screening import list_imports
from exportguard.services.screening import queries as screening_queries
from exportguard.services.screening.queries import AlertStatus
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System
from exportguard.web.params import RecordIdPath
from exportguard.web.request_limits import KIB

router = APIRouter(tags=["screening"])
# The largest list published (OpenSanctions' sanctions collection) is a few hundred megabytes;
# an upload above this is refused rather than held in memory.
MAX_UPLOAD_BYTES = 512 * 1024 * 1024


class DispositionInput(Input):
    disposition: Literal["false_positive", "true_match"]
    reason: NonEmpty = Field(description="Why; kept with the hit and in the audit log")


class ImportResult(screening.ImportView):
    message: str


class HitFilter(Input):
    # One Literal (not a union) so that a wrong value is named plainly as ``status``.
    status: Literal["open", "false_positive", "true_match", "all"] = "open"


class AlertFilter(Input):
    status: AlertStatus | None = None


class DiffQuery(Input):
    from_: int = Field(alias="from", ge=1, description="The older snapshot's id")
    to: int = Field(ge=1, description="The newer snapshot's id")


@router.get("/screening/hits", response_model=list[screening_queries.HitDetail])
def list_hits(
    system: System, actor: ApiActor, f: Annotated[HitFilter, Query()]
) -> list[screening_queries.HitDetail]:
    """Review tasks: hits with the given status (default ``open``; ``all`` for every one)."""
    with system.read() as session:
        return screening_queries.review_tasks(session, actor, None if f.status == "all" else f.status)


@router.get("/screening/hits/{hit_id}", response_model=screening_queries.HitDetail)
def get_hit(system: System, actor: ApiActor, hit_id: RecordIdPath) -> screening_queries.HitDetail:
    with system.read() as session:
        return screening_queries.get_hit(session, actor, hit_id)


@router.post("/screening/hits/{hit_id}/disposition", response_model=screening_queries.HitDetail)
def record_disposition(
    system: System, actor: ApiActor, hit_id: RecordIdPath, body: DispositionInput
) -> screening_queries.HitDetail:
    """A reviewer's finding; it holds on re-screening until the list entry changes."""
    run(system, actor, screening.record_disposition, hit_id, body.disposition, body.reason)
    with system.read() as session:
        return screening_queries.get_hit(session, actor, hit_id)


@router.post("/parties/{party_id}/screen", response_model=list[screening.HitView])
def screen_party(system: System, actor: ApiActor, party_id: RecordIdPath) -> list[screening.HitView]:
    """Screen a registered party now; new hits become open review tasks."""
    return run(system, actor, screening.screen_party, party_id)


@router.post("/screening/screen", response_model=list[screening_queries.MatchView])
def screen_name(
    system: System, actor: ApiActor, body: screening_queries.NameQuery
) -> list[screening_queries.MatchView]:
    """Who on the loaded lists might this name be? Read-only: nothing is recorded."""
    with system.read() as session:
        return screening_queries.screen_name(session, actor, body)


@router.get("/screening/alerts", response_model=list[screening_queries.AlertView])
def list_alerts(
    system: System, actor: ApiActor, f: Annotated[AlertFilter, Query()]
) -> list[screening_queries.AlertView]:
    """Alerts that list imports raised on pending applications and permits in force."""
    with system.read() as session:
        return screening_queries.list_alerts(session, actor, f.status)


@router.get("/lists", response_model=list[screening.SnapshotView])
def list_snapshots(system: System, actor: ApiActor) -> list[screening.SnapshotView]:
    with system.read() as session:
        return screening.list_snapshots(session, actor)


@router.get("/lists/diff", response_model=screening_queries.DiffView)
def diff(system: System, actor: ApiActor, q: Annotated[DiffQuery, Query()]) -> screening_queries.DiffView:
    """Entries added, changed and removed between two snapshots of one list."""
    with system.read() as session:
        return screening_queries.diff_snapshots(session, actor, q.from_, q.to)


def _read(upload: UploadFile) -> tuple[str, bytes]:
    data = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput.of("file", f"{upload.filename} is larger than {MAX_UPLOAD_BYTES} bytes")
    return upload.filename or "upload", data


@router.post(
    "/lists/import",
    response_model=ImportResult,
    status_code=status.HTTP_201_CREATED,
    max_body_size=MAX_UPLOAD_BYTES + 64 * KIB,  # the files and the form around them
)
def import_list(
    *,
    system: System,
    actor: ApiActor,
    response: Response,
    source: Annotated[str, Form(description="The list: un-consolidated, ofac-sdn, uk-sanctions, ...")],
    file: Annotated[list[UploadFile], File(description="The published file(s) of the list")],
    confirm: Annotated[
        str | None,
        Form(description="The content hash of a held import (one that empties or shrinks the list)"),
    ] = None,
) -> ImportResult:
    """Import a list from its published files (one field ``file`` per file of a set).

    A malformed file is refused (422) naming each bad line, and nothing is loaded. A file that
    would empty the list or remove more than the configured share of it is held (409) until sent
    again with ``confirm`` set to the content hash the refusal gives. The same
    files twice change nothing: 200 with ``created`` false. Pending applications and permits in
    force are re-screened against what changed.
    """
    view = run(
        system,
        actor,
        list_imports.import_files,
        source.strip(),
        [_read(f) for f in file],
        confirm=(confirm or "").strip() or None,
        max_shrink=system.list_max_shrink,
    )
    if view.created:
        message = f"imported snapshot {view.snapshot_id} of {view.source}"
    else:
        response.status_code = status.HTTP_200_OK
        message = f"unchanged: these files are snapshot {view.snapshot_id} of {view.source}, already imported"
    return ImportResult(**view.model_dump(), message=message)
