"""Permits: the register (as of any date), issue, and the EIPA s.10 commands, each by name."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from exportguard.domain.permits import PermitCommand
from exportguard.services.kernel.common import Act, View
from exportguard.services.permits import commands as permits
from exportguard.services.permits import queries as permit_queries
from exportguard.services.permits.views import PermitView
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System
from exportguard.web.params import RecordIdPath

router = APIRouter(tags=["permits"])


class ExpiryReport(View):
    expired: list[str]


@router.get("/permits", response_model=list[permit_queries.PermitSummary])
def list_permits(
    system: System, actor: ApiActor, f: Annotated[permit_queries.PermitFilter, Query()]
) -> list[permit_queries.PermitSummary]:
    """The register; ``as_of`` gives each permit's status on that date, ``known_at`` as then recorded."""
    with system.read() as session:
        return permit_queries.list_permits(session, actor, f, system.clock.today())


@router.get("/permits/{id_or_number}", response_model=PermitView)
def get_permit(system: System, actor: ApiActor, id_or_number: str, as_of: date | None = None) -> PermitView:
    """A permit by id, or by number (its latest version), with its lines and timeline."""
    with system.read() as session:
        return permit_queries.get_permit(
            session, actor, id_or_number, as_of=as_of, today=system.clock.today()
        )


@router.post(
    "/applications/{application_id}/permits", response_model=PermitView, status_code=status.HTTP_201_CREATED
)
def issue(
    system: System,
    actor: ApiActor,
    application_id: RecordIdPath,
    body: permits.IssueInput,
    response: Response,
) -> PermitView:
    view = run(system, actor, permits.issue_permit, application_id, body)
    response.headers["Location"] = f"/api/permits/{view.id}"
    return view


@router.post("/permits/{permit_id}/suspend", response_model=PermitView)
def suspend(system: System, actor: ApiActor, permit_id: RecordIdPath, body: Act) -> PermitView:
    """EIPA s.10(1): suspend a permit in force, with the reason and the date it takes effect."""
    return run(system, actor, permits.alter_permit, permit_id, PermitCommand.SUSPEND, body)


@router.post("/permits/{permit_id}/reinstate", response_model=PermitView)
def reinstate(system: System, actor: ApiActor, permit_id: RecordIdPath, body: Act) -> PermitView:
    return run(system, actor, permits.alter_permit, permit_id, PermitCommand.REINSTATE, body)


@router.post("/permits/{permit_id}/cancel", response_model=PermitView)
def cancel(system: System, actor: ApiActor, permit_id: RecordIdPath, body: Act) -> PermitView:
    return run(system, actor, permits.alter_permit, permit_id, PermitCommand.CANCEL, body)


@router.post("/permits/{permit_id}/amend", response_model=PermitView, status_code=status.HTTP_201_CREATED)
def amend(
    system: System, actor: ApiActor, permit_id: RecordIdPath, body: permits.AmendInput, response: Response
) -> PermitView:
    """EIPA s.10(1): a new version comes into force; the amended one is kept, superseded."""
    view = run(system, actor, permits.amend_permit, permit_id, body)
    response.headers["Location"] = f"/api/permits/{view.id}"
    return view


@router.post("/permits/expire-due", response_model=ExpiryReport)
def expire_due(system: System, actor: ApiActor) -> ExpiryReport:
    """The expiry sweep for today (idempotent: a second run expires nothing)."""
    return ExpiryReport(expired=run(system, actor, permits.expire_due_permits))
