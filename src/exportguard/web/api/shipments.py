"""Shipments recorded against permits (idempotent by declaration), reversals, and usage reports."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Response, status

from exportguard.domain.duties import ReversalRequestState
from exportguard.services.border import customs_feed as shipment_batches
from exportguard.services.border import reversal_requests, shipments, usage
from exportguard.services.border.shipment_views import ShipmentView, list_shipments
from exportguard.services.permits.queries import get_permit
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System
from exportguard.web.params import RecordIdPath
from exportguard.web.request_limits import MIB

router = APIRouter(tags=["shipments"])

RECORDED: dict[int | str, dict[str, Any]] = {
    200: {"description": "Already recorded: the same declaration again (``already_recorded`` is true)"},
    409: {"description": "Not authorised (every reason), or the declaration id reused with other content"},
}


def _answer(view: ShipmentView, response: Response) -> ShipmentView:
    # A resubmission is answered 200 with the entry first recorded; a new entry is 201 Created.
    response.status_code = status.HTTP_200_OK if view.already_recorded else status.HTTP_201_CREATED
    response.headers["Location"] = f"/api/shipments/{view.declaration_id}"
    return view


@router.post(
    "/shipments", response_model=ShipmentView, status_code=status.HTTP_201_CREATED, responses=RECORDED
)
def record(
    system: System, actor: ApiActor, body: shipments.ShipmentInput, response: Response
) -> ShipmentView:
    """EPR s.5-6: record an export and draw it down on the permit's lines (quantity and value)."""
    return _answer(run(system, actor, shipments.record_shipment, body), response)


@router.post(
    "/shipments/batch",
    max_body_size=4 * MIB,  # up to MAX_BATCH declarations
    response_model=shipment_batches.BatchResult,
    responses={200: {"description": "Every declaration's outcome, in the order sent"}},
)
def record_batch(
    system: System, actor: ApiActor, body: shipment_batches.BatchInput
) -> shipment_batches.BatchResult:
    """A customs feed: up to 1,000 declarations recorded in one transaction, each answered on its own.

    Each outcome is ``recorded``, ``already_recorded`` (the same declaration again: harmless),
    ``refused`` (every reason: validity, parties, goods, or what the earlier declarations of the
    feed left on the line), ``conflict`` (the declaration id reused with other content) or
    ``not_found``. A malformed feed is refused as a whole (422, naming each bad field).
    """
    return run(system, actor, shipment_batches.record_batch, body)


@router.post(
    "/shipments/reversals",
    response_model=ShipmentView,
    status_code=status.HTTP_201_CREATED,
    responses=RECORDED,
)
def reverse(
    system: System, actor: ApiActor, body: shipments.ReversalInput, response: Response
) -> ShipmentView:
    """A return or correction: a new entry reversing all or part of an earlier one (never an edit)."""
    return _answer(run(system, actor, shipments.reverse_shipment, body), response)


@router.post(
    "/shipments/reversal-requests",
    response_model=reversal_requests.ReversalRequestView,
    status_code=status.HTTP_201_CREATED,
)
def request_reversal(
    system: System, actor: ApiActor, body: shipments.ReversalInput
) -> reversal_requests.ReversalRequestView:
    """The exporter asks an official to reverse all or part of its own recorded export."""
    return run(system, actor, reversal_requests.request_reversal, body)


@router.get("/shipments/reversal-requests", response_model=list[reversal_requests.ReversalRequestView])
def list_reversal_requests(
    system: System, actor: ApiActor, state: ReversalRequestState | None = None
) -> list[reversal_requests.ReversalRequestView]:
    with system.read() as session:
        return reversal_requests.list_reversal_requests(session, actor, state)


@router.post(
    "/shipments/reversal-requests/{request_id}/approve",
    response_model=reversal_requests.ReversalRequestView,
)
def approve_reversal(
    system: System, actor: ApiActor, request_id: RecordIdPath
) -> reversal_requests.ReversalRequestView:
    """An officer or customs approves: the reversing entry is recorded (never by who asked)."""
    return run(system, actor, reversal_requests.approve_reversal, request_id)


@router.post(
    "/shipments/reversal-requests/{request_id}/refuse",
    response_model=reversal_requests.ReversalRequestView,
)
def refuse_reversal(
    system: System, actor: ApiActor, request_id: RecordIdPath, body: reversal_requests.RefusalInput
) -> reversal_requests.ReversalRequestView:
    return run(system, actor, reversal_requests.refuse_reversal, request_id, body)


@router.get("/permits/{id_or_number}/shipments", response_model=list[ShipmentView])
def permit_shipments(system: System, actor: ApiActor, id_or_number: str) -> list[ShipmentView]:
    with system.read() as session:
        permit = get_permit(session, actor, id_or_number, today=system.clock.today())
        return list_shipments(session, permit.id)


@router.get("/permits/{id_or_number}/usage", response_model=usage.PermitUsage)
def permit_usage(
    system: System, actor: ApiActor, id_or_number: str, as_of: date | None = None
) -> usage.PermitUsage:
    """Per line: licensed, shipped and remaining quantity and value, as of a date (default: all recorded)."""
    with system.read() as session:
        return usage.permit_usage(session, actor, id_or_number, as_of=as_of, today=system.clock.today())


@router.get("/holders/{holder_id}/usage", response_model=usage.HolderUsage)
def holder_usage(
    system: System, actor: ApiActor, holder_id: RecordIdPath, as_of: date | None = None
) -> usage.HolderUsage:
    """Every permit an exporter holds, line by line, as of a date."""
    with system.read() as session:
        return usage.holder_usage(session, actor, holder_id, as_of=as_of, today=system.clock.today())
