"""The audit page: the result of verifying the chain, and the events newest first, filtered by
subject, principal, command and recorded dates, page by page (PERMISSIONS[READ_AUDIT])."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import Field, ValidationError

from exportguard.domain.errors import Problem
from exportguard.services.kernel import audit
from exportguard.services.kernel.common import Input
from exportguard.web.api.audit import verification_view, verified
from exportguard.web.auth import PageActor, System
from exportguard.web.errors import validation_problems
from exportguard.web.pages.policies import chosen_fields
from exportguard.web.pages.rendering import form_page

router = APIRouter()
PAGE_SIZE = 50
FILTERS = (
    "subject_type",
    "subject_ref",
    "principal",
    "command",
    "recorded_from",
    "recorded_to",
    "before_seq",
)


class AuditFilter(Input):
    subject_type: str | None = Field(default=None, max_length=32)
    subject_ref: str | None = Field(default=None, max_length=64)
    principal: str | None = Field(default=None, max_length=80)
    command: str | None = Field(default=None, max_length=40)
    recorded_from: date | None = None
    recorded_to: date | None = None
    before_seq: int | None = Field(default=None, ge=1)
    order: Literal["newest"] = "newest"


@router.get("/audit")
def audit_page(request: Request, system: System, actor: PageActor) -> Response:
    chosen = chosen_fields(request, FILTERS)
    problems: list[Problem] = []
    try:
        f = AuditFilter.model_validate(chosen)
    except ValidationError as exc:
        problems = validation_problems(exc.errors())
        f = AuditFilter()
    if f.recorded_from and f.recorded_to and f.recorded_to < f.recorded_from:
        problems.append(Problem("recorded_to", f"{f.recorded_to} is before {f.recorded_from}"))
    with system.read() as session:
        report = verification_view(verified(session, actor))
        subject_types, commands = audit.event_kinds(session, actor)
        events = (
            []
            if problems
            else audit.list_events(
                session, actor, limit=PAGE_SIZE, newest_first=True, **f.model_dump(exclude={"order"})
            )
        )
    older = {k: v for k, v in chosen.items() if k != "before_seq"}
    return form_page(
        request,
        "audit.html",
        actor,
        problems,
        report=report,
        events=events,
        chosen=chosen,
        commands=commands,
        subject_types=subject_types,
        older={**older, "before_seq": events[-1].seq} if len(events) == PAGE_SIZE else None,
        newest=older if "before_seq" in chosen else None,
    )
