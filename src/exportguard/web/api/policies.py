"""Destination measures, policy files, determination, exceptions, bulk ministerial acts and notices."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Query, status

from exportguard.services.permits import bulk_actions, notices
from exportguard.services.permits.bulk_scope import Preview
from exportguard.services.policy import determination, policy_files
from exportguard.services.policy import measures as policies
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System
from exportguard.web.request_limits import KIB, PUBLIC

router = APIRouter(tags=["policies"])


@router.get("/measures", response_model=list[policies.MeasureView])
def list_measures(
    system: System, destination: str | None = None, as_of: date | None = None
) -> list[policies.MeasureView]:
    """The current version of each destination measure, or those in force on ``as_of`` (public)."""
    with system.read() as session:
        return policies.list_measures(session, destination, as_of)


@router.get("/measures/{key}", response_model=list[policies.MeasureView])
def measure_versions(system: System, key: str) -> list[policies.MeasureView]:
    with system.read() as session:
        return policies.measure_versions(session, key)


@router.post("/measures", response_model=policies.MeasureView, status_code=status.HTTP_201_CREATED)
def record_measure(system: System, actor: ApiActor, body: policies.MeasureInput) -> policies.MeasureView:
    return run(system, actor, policies.record_measure, body)


@router.post("/measures/{key}/revise", response_model=policies.MeasureView)
def revise_measure(
    system: System, actor: ApiActor, key: str, body: policies.MeasureInput
) -> policies.MeasureView:
    """A changed measure becomes a new version (the body's key must be the path's)."""
    return run(system, actor, policies.revise_measure, body.model_copy(update={"key": key}))


@router.post("/policy-files/apply", response_model=policy_files.ApplyReport)
def apply_policy_file(
    system: System, actor: ApiActor, text: Annotated[str, Body(media_type="application/yaml")]
) -> policy_files.ApplyReport:
    """Apply a policy file (YAML body); applying the same file twice changes nothing."""
    policy, digest = policy_files.parse_policy_file(text)
    return run(system, actor, policy_files.apply_policy_file, policy, digest)


# Anyone may ask (READ_POLICIES includes the public): a small body, within the public allowance.
@router.post(
    "/determinations",
    response_model=determination.DeterminationView,
    max_body_size=64 * KIB,
    openapi_extra=PUBLIC,
)
def determine(
    system: System, actor: ApiActor, body: determination.ProposedExport
) -> determination.DeterminationView:
    """Permit required? General permit? Measures, outcome, and the trace of every rule that fired."""
    with system.read() as session:
        return determination.determine_export(session, actor, body, system.clock.today())


@router.get("/policy-exceptions", response_model=list[determination.ExceptionView])
def list_exceptions(
    system: System, actor: ApiActor, measure: str | None = None
) -> list[determination.ExceptionView]:
    with system.read() as session:
        return determination.list_exceptions(session, actor, measure)


@router.post("/ministerial-decisions/preview", response_model=Preview)
def preview(system: System, actor: ApiActor, body: bulk_actions.BulkActInput) -> Preview:
    """The exact permits, holders, undelivered quantities and pending shipments an act would hit."""
    with system.read() as session:
        return bulk_actions.preview_act(session, actor, body, system.clock.today())


@router.post("/ministerial-decisions", response_model=bulk_actions.BulkResult)
def execute(system: System, actor: ApiActor, body: bulk_actions.BulkActInput) -> bulk_actions.BulkResult:
    """Execute the act (all or nothing); repeating a decision reference returns the first result."""
    return run(system, actor, bulk_actions.execute, body)


@router.get("/ministerial-decisions/{reference:path}", response_model=bulk_actions.BulkResult)
def get_decision(system: System, actor: ApiActor, reference: str) -> bulk_actions.BulkResult:
    with system.read() as session:
        return bulk_actions.get_decision(session, actor, reference)


@router.post("/saved-scopes", status_code=status.HTTP_201_CREATED)
def save_scope(system: System, actor: ApiActor, body: bulk_actions.SavedScopeInput) -> dict[str, object]:
    return run(system, actor, bulk_actions.save_scope, body)


@router.get("/notices", response_model=list[notices.NoticeView])
def list_notices(
    system: System, actor: ApiActor, status_: Annotated[str | None, Query(alias="status")] = None
) -> list[notices.NoticeView]:
    with system.read() as session:
        return notices.list_notices(session, actor, status_)
