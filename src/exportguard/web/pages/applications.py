"""An application's page, the case in one place: its content, parties with their screening results,
the determination and its trace, the assessment, advice requested and given, requests for information
and answers, files, decision, permits issued and history; with the forms the reader's role may use."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from exportguard.domain.access import Action, Actor, may
from exportguard.domain.errors import Problem
from exportguard.services.applications import assessments, casework, commands, files
from exportguard.services.applications import queries as application_queries
from exportguard.services.investigations import assurances
from exportguard.services.lobbying import links as lobbying
from exportguard.services.permits import queries as permit_queries
from exportguard.services.permits.queries import PermitFilter
from exportguard.services.policy import determination
from exportguard.services.screening import queries as screening_queries
from exportguard.services.system import ExportGuard
from exportguard.web.auth import PageActor, System
from exportguard.web.pages.rendering import form_page
from exportguard.web.params import RecordIdPath

router = APIRouter()


def case_facts(system: ExportGuard, actor: Actor, application_id: RecordIdPath) -> dict[str, Any]:
    today = system.clock.today()
    with system.read() as session:
        app = application_queries.get_application(session, actor, application_id)
        facts: dict[str, Any] = {
            "app": app,
            "assessment": assessments.read_assessment(session, actor, application_id, today),
            "permits": permit_queries.list_permits(
                session, actor, PermitFilter(application_id=application_id, include_superseded=True), today
            ),
            "case": casework.casework_of(session, actor, application_id),
            "files": files.files_of(session, actor, application_id),
            "hits": [],
            "determination": None,
            "today": today,
            # Issue 14: end-use assurances and lobbying on the record (none shown to exporters).
            "assurances": assurances.visible_assurances(session, actor, application_id=application_id),
            "lobbying": lobbying.for_application(session, actor, application_id),
        }
        if may(actor.role, Action.READ_SCREENING):
            party_ids = {p.party_id for p in app.parties}
            facts["hits"] = [
                h for h in screening_queries.review_tasks(session, actor, None) if h.party_id in party_ids
            ]
        if may(actor.role, Action.REVIEW_APPLICATION) or may(actor.role, Action.DECIDE_APPLICATION):
            row = commands.load_application(session, actor, application_id)
            facts["determination"] = determination.for_application(session, row, app.submitted_on or today)
    return facts


def case_page(
    request: Request,
    system: ExportGuard,
    actor: Actor,
    application_id: RecordIdPath,
    *,
    problems: list[Problem] | None = None,
    chosen: dict[str, str] | None = None,
) -> Response:
    facts = case_facts(system, actor, application_id)
    return form_page(request, "application.html", actor, problems or [], chosen=chosen or {}, **facts)


@router.get("/applications/{application_id}")
def application_page(
    request: Request, system: System, actor: PageActor, application_id: RecordIdPath
) -> Response:
    return case_page(request, system, actor, application_id)
