"""Reversal requests (issue 10, separation of duties): the exporter asks, an official reverses.

A recorded export is given back (a return, a correction) only by customs, who recorded it, or by
an officer; an exporter asks for it here. Approving a request records the reversing entry exactly
as ``shipments.reverse_shipment`` would, on the official's name; nobody approves their own request
(domain/duties.py). Each use case writes one audit event.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import ReversalRequest, Shipment
from exportguard.domain.access import Action, Actor, may
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.duties import (
    ReversalRequestCommand,
    ReversalRequestState,
    check_not_self_approved,
    next_request_state,
)
from exportguard.domain.errors import Conflict, NotFound, NotPermitted, Problem
from exportguard.services.border.shipments import (
    LEGAL_BASIS,
    ReversalInput,
    ReversalLineInput,
    audit_entry,
    check_reversible,
    original_entry,
    record_reversal,
)
from exportguard.services.border.visibility import visible_reversal_requests
from exportguard.services.kernel.common import Input, NonEmpty, View
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.permits.commands import load_permit

__all__ = [
    "RefusalInput",
    "ReversalRequestView",
    "approve_reversal",
    "list_reversal_requests",
    "refuse_reversal",
    "request_reversal",
]


class RefusalInput(Input):
    reason: NonEmpty = Field(description="Why the reversal is refused (told to the exporter)")


class ReversalRequestView(View):
    id: int
    exporter_id: int
    declaration_id: str
    reverses: str
    shipped_on: date
    reason: str
    lines: dict[int, int] | None
    state: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    shipment_id: int | None


def _view(session: Session, req: ReversalRequest) -> ReversalRequestView:
    reverses = session.scalar(select(Shipment.declaration_id).where(Shipment.id == req.reverses_id))
    return ReversalRequestView(
        id=req.id,
        exporter_id=req.exporter_id,
        declaration_id=req.declaration_id,
        reverses=reverses or "",
        shipped_on=req.shipped_on,
        reason=req.reason,
        lines=None if req.lines is None else {int(k): v for k, v in req.lines.items()},
        state=req.state,
        requested_by=req.requested_by,
        requested_at=req.requested_at,
        decided_by=req.decided_by,
        decided_at=req.decided_at,
        decision_reason=req.decision_reason,
        shipment_id=req.shipment_id,
    )


def _audit(uow: UnitOfWork, command: AuditCommand, req: ReversalRequest, view: ReversalRequestView) -> None:
    uow.record(
        AuditEntry(
            command=command,
            subject_type="reversal_request",
            subject_id=req.id,
            subject_ref=req.declaration_id[:64],
            legal_basis=LEGAL_BASIS,
            reason=req.decision_reason or req.reason,
            effective_date=req.shipped_on,
            before=None,
            after=view.model_dump(mode="json", exclude={"requested_at", "decided_at"}),
        )
    )


def request_reversal(uow: UnitOfWork, data: ReversalInput) -> ReversalRequestView:
    """The exporter asks an official to reverse all or part of its own recorded export."""
    uow.require(Action.REQUEST_REVERSAL)
    session, actor = uow.session, uow.actor
    original = original_entry(session, actor, data)  # in the exporter's own namespace only
    load_permit(session, actor, original.permit_id)
    check_reversible(original, data)
    taken = session.scalar(
        select(Shipment.id).where(
            Shipment.exporter_id == original.exporter_id, Shipment.declaration_id == data.declaration_id
        )
    )
    if taken is not None:
        raise Conflict(
            f"declaration {data.declaration_id} is already recorded",
            [Problem("declaration_id", "already recorded: choose the reversing entry's own id")],
        )
    req = ReversalRequest(
        exporter_id=original.exporter_id,
        declaration_id=data.declaration_id,
        reverses_id=original.id,
        shipped_on=data.shipped_on,
        reason=data.reason,
        lines=None if data.lines is None else {str(ln.permit_line_no): ln.quantity for ln in data.lines},
        state=ReversalRequestState.REQUESTED.value,
        requested_by=actor.principal,
        requested_at=uow.clock.now(),
        decision_reason="",
    )
    session.add(req)
    session.flush()
    view = _view(session, req)
    _audit(uow, AuditCommand.REQUEST_REVERSAL, req, view)
    uow.commit()
    return view


def _pending(uow: UnitOfWork, request_id: int, command: ReversalRequestCommand) -> ReversalRequest:
    uow.require(Action.REVERSE_SHIPMENT)
    req = uow.session.scalar(
        select(ReversalRequest).where(ReversalRequest.id == request_id).with_for_update()
    )
    if req is None:
        raise NotFound(f"no reversal request {request_id}", [Problem("request_id", "not found")])
    next_request_state(ReversalRequestState(req.state), command)
    check_not_self_approved(req.requested_by, uow.actor.principal)
    return req


def approve_reversal(uow: UnitOfWork, request_id: int) -> ReversalRequestView:
    """An official approves the request: the reversing entry is recorded on the official's name."""
    req = _pending(uow, request_id, ReversalRequestCommand.APPROVE)
    session = uow.session
    original = session.get_one(Shipment, req.reverses_id, with_for_update=True)
    data = ReversalInput(
        declaration_id=req.declaration_id,
        reverses=original.declaration_id,
        exporter_id=req.exporter_id,
        shipped_on=req.shipped_on,
        reason=req.reason,
        lines=None
        if req.lines is None
        else [ReversalLineInput(permit_line_no=int(k), quantity=v) for k, v in sorted(req.lines.items())],
    )
    # Recorded now, or already (customs reversed it under the same id meanwhile): linked either way.
    entry, _ = record_reversal(uow, original, data)
    req.state = next_request_state(ReversalRequestState(req.state), ReversalRequestCommand.APPROVE).value
    req.decided_by, req.decided_at, req.shipment_id = uow.actor.principal, uow.clock.now(), entry.id
    session.flush()
    view = _view(session, req)
    # One event: the reversing entry, naming the request and who asked for it.
    audit_entry(
        uow,
        AuditCommand.REVERSE_SHIPMENT,
        entry,
        entry,
        f"reverses {original.declaration_id} on request {req.id} of {req.requested_by}: {req.reason}",
        request=req.id,
        requested_by=req.requested_by,
    )
    uow.commit()
    return view


def refuse_reversal(uow: UnitOfWork, request_id: int, data: RefusalInput) -> ReversalRequestView:
    req = _pending(uow, request_id, ReversalRequestCommand.REFUSE)
    req.state = ReversalRequestState.REFUSED.value
    req.decided_by, req.decided_at, req.decision_reason = uow.actor.principal, uow.clock.now(), data.reason
    uow.session.flush()
    view = _view(uow.session, req)
    _audit(uow, AuditCommand.REFUSE_REVERSAL, req, view)
    uow.commit()
    return view


def list_reversal_requests(
    session: Session, actor: Actor, state: ReversalRequestState | None = None
) -> list[ReversalRequestView]:
    """Officials and customs see every request; an exporter its own organisation's."""
    if not (may(actor.role, Action.REQUEST_REVERSAL) or may(actor.role, Action.REVERSE_SHIPMENT)):
        raise NotPermitted(f"role '{actor.role}' may not read reversal requests")
    stmt = select(ReversalRequest).where(visible_reversal_requests(actor))
    if state is not None:
        stmt = stmt.where(ReversalRequest.state == state.value)
    return [_view(session, r) for r in session.scalars(stmt.order_by(ReversalRequest.id))]
