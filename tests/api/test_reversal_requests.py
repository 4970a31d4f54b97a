"""Separation of duties (issue 10): an exporter asks for a reversal of its recorded export, an
officer or customs approves (recording the reversing entry) or refuses; nobody approves their own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exportguard.db.models import AuditEvent, Shipment
from exportguard.domain.access import Actor, Role
from exportguard.domain.duties import SelfApproval
from exportguard.services.border import reversal_requests, shipments
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.api.test_shipments import _shipment
from tests.factories import World, issued

ASK = {
    "declaration_id": "CBSA-1-R",
    "reverses": "CBSA-1",
    "shipped_on": "2020-07-01",
    "reason": "two units returned for repair",
    "lines": [{"permit_line_no": 1, "quantity": 2}],
}


def _usage(api: Api, permit_id: int) -> int:
    return int(api.get(f"/permits/{permit_id}/usage", "officer").json()["lines"][0]["shipped_quantity"])


def test_exporter_asks_officer_approves(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=5)
    assert api.post("/shipments", "customs", json=_shipment(permit.id, qty=3)).status_code == 201
    # The exporter may not reverse its own export: it asks.
    assert_problem(api.post("/shipments/reversals", "exporter", json=ASK), 403)
    asked = api.post("/shipments/reversal-requests", "exporter", json=ASK)
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert request["state"] == "requested" and request["requested_by"] == "exporter"
    assert _usage(api, permit.id) == 3  # nothing given back yet
    # Another organisation neither sees it nor can ask about the exporter's declaration.
    assert api.get("/shipments/reversal-requests", "rival").json() == []
    assert_problem(api.post("/shipments/reversal-requests", "rival", json=ASK), 404, "reverses")
    assert [r["id"] for r in api.get("/shipments/reversal-requests", "officer").json()] == [request["id"]]
    # Only officials decide; the exporter cannot approve its own request.
    assert_problem(api.post(f"/shipments/reversal-requests/{request['id']}/approve", "exporter"), 403)
    approved = api.post(f"/shipments/reversal-requests/{request['id']}/approve", "officer")
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved" and approved.json()["decided_by"] == "officer"
    assert approved.json()["shipment_id"] is not None
    assert _usage(api, permit.id) == 1
    # Decided once: approving or refusing again is a conflict, and gives back nothing more.
    assert_problem(api.post(f"/shipments/reversal-requests/{request['id']}/approve", "customs"), 409, "state")
    refused = api.post(
        f"/shipments/reversal-requests/{request['id']}/refuse", "customs", json={"reason": "late"}
    )
    assert_problem(refused, 409, "state")
    assert _usage(api, permit.id) == 1
    with eg.read() as session:
        commands = list(
            session.scalars(
                select(AuditEvent.command).where(
                    AuditEvent.command.in_(["request_reversal", "reverse_shipment"])
                )
            )
        )
    assert commands == ["request_reversal", "reverse_shipment"]


def test_refused_request_gives_back_nothing(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=5)
    api.post("/shipments", "exporter", json=_shipment(permit.id, qty=3))
    request = api.post("/shipments/reversal-requests", "exporter", json=ASK).json()
    assert_problem(api.post(f"/shipments/reversal-requests/{request['id']}/refuse", "customs", json={}), 422)
    refused = api.post(
        f"/shipments/reversal-requests/{request['id']}/refuse",
        "customs",
        json={"reason": "goods not returned"},
    )
    assert refused.status_code == 200 and refused.json()["state"] == "refused"
    assert refused.json()["decision_reason"] == "goods not returned"
    assert _usage(api, permit.id) == 3
    mine = api.get("/shipments/reversal-requests", "exporter", params={"state": "refused"}).json()
    assert [r["id"] for r in mine] == [request["id"]]
    # The reversing entry's id is the exporter's own: one already recorded cannot be asked for.
    assert_problem(
        api.post("/shipments/reversal-requests", "exporter", json={**ASK, "declaration_id": "CBSA-1"}),
        409,
        "declaration_id",
    )


def test_nobody_approves_their_own_request(eg: ExportGuard, w: World) -> None:
    """Per account, not only per role: an account that asked (say, moved since from an exporter to
    customs) may not approve or refuse its own request; nothing is recorded."""
    permit = issued(eg, w, quantity=5)
    asker = Actor("j.tremblay", Role.EXPORTER, w.exporter_id)
    with eg.uow(asker) as uow:
        shipments.record_shipment(
            uow,
            shipments.ShipmentInput.model_validate(_shipment(permit.id, qty=3)),
        )
    with eg.uow(asker) as uow:
        request = reversal_requests.request_reversal(uow, shipments.ReversalInput.model_validate(ASK))
    same = Actor("j.tremblay", Role.CUSTOMS)
    with pytest.raises(SelfApproval), eg.uow(same) as uow:
        reversal_requests.approve_reversal(uow, request.id)
    with pytest.raises(SelfApproval), eg.uow(same) as uow:
        reversal_requests.refuse_reversal(uow, request.id, reversal_requests.RefusalInput(reason="mine"))
    with eg.read() as session:
        assert session.scalar(select(func.count()).select_from(Shipment)) == 1
    with eg.uow(Actor("customs.other", Role.CUSTOMS)) as uow:
        assert reversal_requests.approve_reversal(uow, request.id).state == "approved"
