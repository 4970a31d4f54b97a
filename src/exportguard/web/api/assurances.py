"""End-use assurances, post-shipment verification checks, diversion flags and lobbying on the record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile, status

from exportguard.adapters import lobbying_registry
from exportguard.services.investigations import assurances, verification
from exportguard.services.lobbying import links, records
from exportguard.services.parties.diversion_flags import FlagView, list_flags
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System
from exportguard.web.params import RecordIdPath
from exportguard.web.request_limits import MIB

router = APIRouter(tags=["assurances, verification and lobbying"])


@router.post("/assurances", response_model=assurances.AssuranceView, status_code=status.HTTP_201_CREATED)
def record_assurance(
    system: System, actor: ApiActor, body: assurances.AssuranceInput
) -> assurances.AssuranceView:
    """Who gave which assurance, in what form (written certificate, diplomatic note, oral), promising what."""
    return run(system, actor, assurances.record_assurance, body)


@router.get("/assurances", response_model=list[assurances.AssuranceView])
def list_assurances(
    system: System, actor: ApiActor, application_id: int | None = None, permit: str | None = None
) -> list[assurances.AssuranceView]:
    """Assurances for an application, or a permit (its own and its application's), or all."""
    with system.read() as session:
        return assurances.list_assurances(session, actor, application_id=application_id, permit=permit)


@router.post(
    "/verification-checks", response_model=verification.CheckView, status_code=status.HTTP_201_CREATED
)
def plan_check(system: System, actor: ApiActor, body: verification.PlanCheckInput) -> verification.CheckView:
    """Plan a post-shipment verification check of a permit's goods."""
    return run(system, actor, verification.plan_check, body)


@router.post("/verification-checks/{check_id}/result", response_model=verification.CheckView)
def record_check_result(
    system: System, actor: ApiActor, check_id: RecordIdPath, body: verification.CheckResultInput
) -> verification.CheckView:
    return run(system, actor, verification.record_result, check_id, body)


@router.get("/diversion-flags", response_model=list[FlagView])
def diversion_flags(
    system: System,
    actor: ApiActor,
    country: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies query defaults per request
    party_id: Annotated[list[int], Query()] = [],  # noqa: B006
) -> list[FlagView]:
    """Flags on these destinations or parties (internal: refused to those who may not read them)."""
    with system.read() as session:
        return list_flags(session, actor, countries=[c.upper() for c in country], party_ids=party_id)


# The registry's whole export is large (its officials file alone is tens of megabytes).
@router.post("/lobbying/imports", response_model=records.ImportReport, max_body_size=256 * MIB)
def import_lobbying(
    system: System,
    actor: ApiActor,
    file: Annotated[UploadFile, File(description="The registry's communications export (zip)")],
) -> records.ImportReport:
    """Import the Registry of Lobbyists' communication reports; importing again changes nothing."""
    files = lobbying_registry.files_from_zip(file.file.read(), field="file")
    return run(system, actor, records.import_communications, files, file.filename or "upload.zip")


@router.get("/lobbying/communications", response_model=list[records.CommunicationView])
def list_communications(
    system: System, actor: ApiActor, client: str | None = None
) -> list[records.CommunicationView]:
    with system.read() as session:
        return records.list_communications(session, actor, client)


@router.get("/applications/{application_id}/lobbying", response_model=list[links.LinkedCommunication])
def application_lobbying(
    system: System, actor: ApiActor, application_id: RecordIdPath
) -> list[links.LinkedCommunication]:
    """Lobbying communications whose client is a party to the application."""
    with system.read() as session:
        return links.application_communications(session, actor, application_id)


@router.get("/reports/decisions-while-lobbied", response_model=list[links.LobbiedDecision])
def decisions_while_lobbied(
    system: System, actor: ApiActor, destination: str | None = None
) -> list[links.LobbiedDecision]:
    """Decisions taken while lobbying on the application was on record: by whom, on what ground."""
    with system.read() as session:
        return links.decisions_while_lobbied(session, actor, destination=destination)
