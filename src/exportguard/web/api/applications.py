"""Applications: drafting, editing a draft, and the named commands of their lifecycle."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Query, Response, status

from exportguard.services.applications import commands as applications
from exportguard.services.applications import queries
from exportguard.services.applications.views import ApplicationView
from exportguard.services.kernel.common import Input, NonEmpty
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System
from exportguard.web.params import RecordIdPath

router = APIRouter(prefix="/applications", tags=["applications"])


class Dated(Input):
    """A command whose only choice is when it takes effect (default: today)."""

    effective_date: date | None = None


class Withdrawal(Dated):
    reason: NonEmpty


class NewVersion(Input):
    reason: NonEmpty


OptionalDated = Annotated[Dated | None, Body()]


@router.get("", response_model=list[queries.ApplicationSummary])
def list_applications(
    system: System, actor: ApiActor, f: Annotated[queries.ApplicationFilter, Query()]
) -> list[queries.ApplicationSummary]:
    with system.read() as session:
        return queries.list_applications(session, actor, f)


@router.get("/{application_id}", response_model=ApplicationView)
def get_application(system: System, actor: ApiActor, application_id: RecordIdPath) -> ApplicationView:
    with system.read() as session:
        return queries.get_application(session, actor, application_id)


@router.post("", response_model=ApplicationView, status_code=status.HTTP_201_CREATED)
def draft_application(
    system: System, actor: ApiActor, body: applications.ApplicationInput, response: Response
) -> ApplicationView:
    view = run(system, actor, applications.draft_application, body)
    response.headers["Location"] = f"/api/applications/{view.id}"
    return view


@router.put("/{application_id}", response_model=ApplicationView)
def edit_draft(
    system: System, actor: ApiActor, application_id: RecordIdPath, body: applications.ApplicationInput
) -> ApplicationView:
    return run(system, actor, applications.edit_draft, application_id, body)


@router.post("/{application_id}/submit", response_model=ApplicationView)
def submit(
    system: System, actor: ApiActor, application_id: RecordIdPath, body: OptionalDated = None
) -> ApplicationView:
    when = body.effective_date if body else None
    return run(system, actor, applications.submit_application, application_id, effective_date=when)


@router.post("/{application_id}/begin-review", response_model=ApplicationView)
def begin_review(
    system: System, actor: ApiActor, application_id: RecordIdPath, body: OptionalDated = None
) -> ApplicationView:
    when = body.effective_date if body else None
    return run(system, actor, applications.begin_review, application_id, effective_date=when)


@router.post("/{application_id}/withdraw", response_model=ApplicationView)
def withdraw(
    system: System, actor: ApiActor, application_id: RecordIdPath, body: Withdrawal
) -> ApplicationView:
    return run(
        system,
        actor,
        applications.withdraw_application,
        application_id,
        reason=body.reason,
        effective_date=body.effective_date,
    )


@router.post("/{application_id}/new-version", response_model=ApplicationView, status_code=201)
def new_version(
    system: System, actor: ApiActor, application_id: RecordIdPath, body: NewVersion, response: Response
) -> ApplicationView:
    """Amend an approved application: a new draft version; the approved one stays as it was."""
    view = run(system, actor, applications.new_version, application_id, reason=body.reason)
    response.headers["Location"] = f"/api/applications/{view.id}"
    return view
