"""An application's page: parties, lines, documents, assessment findings, advice and decision."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from exportguard.services.applications import assessments
from exportguard.services.applications import queries as application_queries
from exportguard.services.permits import queries as permit_queries
from exportguard.services.permits.queries import PermitFilter
from exportguard.web.auth import PageActor, System
from exportguard.web.pages.rendering import page

router = APIRouter()


@router.get("/applications/{application_id}")
def application_page(request: Request, system: System, actor: PageActor, application_id: int) -> Response:
    today = system.clock.today()
    with system.read() as session:
        app = application_queries.get_application(session, actor, application_id)
        assessment = assessments.read_assessment(session, actor, application_id, today)
        issued = permit_queries.list_permits(
            session, actor, PermitFilter(application_id=application_id, include_superseded=True), today
        )
    return page(request, "application.html", actor, app=app, assessment=assessment, permits=issued)
