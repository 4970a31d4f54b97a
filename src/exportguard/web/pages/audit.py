"""The audit page: the result of verifying the chain, and the events page by page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from exportguard.services.kernel import audit
from exportguard.web.api.audit import verification_view
from exportguard.web.auth import PageActor, System
from exportguard.web.pages.rendering import page

router = APIRouter()
PAGE_SIZE = 100


@router.get("/audit")
def audit_page(
    request: Request, system: System, actor: PageActor, after_seq: Annotated[int, Query(ge=0)] = 0
) -> Response:
    with system.read() as session:
        report = verification_view(audit.verify(session, actor))
        events = audit.list_events(session, actor, after_seq=after_seq, limit=PAGE_SIZE)
    return page(
        request,
        "audit.html",
        actor,
        report=report,
        events=events,
        after_seq=after_seq,
        next_seq=events[-1].seq if len(events) == PAGE_SIZE else None,
    )
