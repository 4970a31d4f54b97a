"""API: shipments (201, then 200 already recorded, 409 naming the field), reversals, checks, usage."""

from __future__ import annotations

from datetime import date
from typing import Any

from exportguard.domain.permits import PermitCommand
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.factories import MINISTER, World, issued


def _shipment(permit_id: int, qty: int = 2, declaration: str = "CBSA-1") -> dict[str, Any]:
    return {
        "declaration_id": declaration,
        "permit_id": permit_id,
        "shipped_on": "2020-06-18",
        "port": "Toronto Pearson",
        "lines": [{"permit_line_no": 1, "quantity": qty}],
    }


def test_record_then_resubmit_then_reuse(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=4)
    first = api.post("/shipments", "customs", json=_shipment(permit.id))
    assert first.status_code == 201, first.text
    assert first.json()["already_recorded"] is False
    assert first.headers["location"] == "/api/shipments/CBSA-1"
    again = api.post("/shipments", "customs", json=_shipment(permit.id))
    assert again.status_code == 200
    assert again.json()["already_recorded"] is True and again.json()["id"] == first.json()["id"]
    reused = api.post("/shipments", "customs", json=_shipment(permit.id, qty=1))
    assert_problem(reused, 409, "declaration_id", "lines[0].quantity")
    over = api.post("/shipments", "customs", json=_shipment(permit.id, qty=3, declaration="CBSA-2"))
    body = assert_problem(over, 409, "lines[0].quantity")
    assert "quantity 3 is above the 2 remaining on line 1" in body["detail"]
    listed = api.get(f"/permits/{permit.id}/shipments", "officer").json()
    assert [s["declaration_id"] for s in listed] == ["CBSA-1"]


def test_reversal_and_usage_as_of(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=4)
    api.post("/shipments", "customs", json=_shipment(permit.id, qty=3))
    reversal = {
        "declaration_id": "CBSA-1-R",
        "reverses": "CBSA-1",
        "shipped_on": "2020-07-01",
        "reason": "one unit returned for repair",
        "lines": [{"permit_line_no": 1, "quantity": 1}],
    }
    made = api.post("/shipments/reversals", "customs", json=reversal)
    assert made.status_code == 201 and made.json()["lines"][0]["quantity"] == -1
    assert api.post("/shipments/reversals", "customs", json=reversal).json()["already_recorded"] is True
    then = api.get(f"/permits/{permit.number}/usage", "exporter", params={"as_of": "2020-06-30"}).json()
    line = then["lines"][0]
    assert (line["licensed_quantity"], line["shipped_quantity"], line["remaining_quantity"]) == (4, 3, 1)
    assert (line["licensed_value"], line["shipped_value"], line["remaining_value"]) == (
        "6000000.00",
        "4500000.00",
        "1500000.00",
    )
    now = api.get(f"/holders/{w.exporter_id}/usage", "officer").json()
    assert now["permits"][0]["lines"][0]["shipped_quantity"] == 2
    assert now["permits"][0]["exhausted"] is False
    assert_problem(api.get(f"/holders/{w.exporter_id}/usage", "rival"), 404, "holder_id")
    assert_problem(api.get(f"/permits/{permit.id}/usage", "rival"), 404, "permit")


def test_check_answers_every_reason_and_is_refused_to_auditors(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=4)
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.SUSPEND, Act(reason="review", effective_date=date(2020, 10, 5))
        )
    question = {
        "permit": permit.number,
        "shipped_on": "2020-10-10",
        "destination": "AZ",
        "consignee": "Baykar Makina",
        "lines": [{"item_code": "2-5", "quantity": 1}],
    }
    answer = api.post("/authorisations/check", "customs", json=question)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["authorised"] is False and body["asked_by"] == "customs"
    assert [(r["code"], r["message"]) for r in body["reasons"]] == [
        ("suspended", "suspended on 2020-10-05"),
        ("destination_differs", "destination AZ differs from the permit's TR"),
        ("item_not_on_permit", "item 2-5 is not on the permit"),
    ]
    assert body["check_id"] is not None
    assert_problem(api.post("/authorisations/check", "auditor", json=question), 403)
    assert_problem(api.post("/authorisations/check", None, json=question), 401)
    bad = api.post("/authorisations/check", "customs", json={**question, "shipped_on": "10/10/2020"})
    assert_problem(bad, 422, "shipped_on")


def test_a_customs_feed_answers_each_declaration(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=4)
    api.post("/shipments", "customs", json=_shipment(permit.id, qty=1, declaration="OLD"))
    feed = [
        _shipment(permit.id, qty=2, declaration="F-1"),
        _shipment(permit.id, qty=2, declaration="F-2"),  # only 1 left after F-1
        _shipment(permit.id, qty=1, declaration="OLD"),  # sent before: harmless
        _shipment(permit.id + 999, qty=1, declaration="F-3"),
    ]
    answer = api.post("/shipments/batch", "customs", json={"shipments": feed})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [(o["declaration_id"], o["status"]) for o in body["outcomes"]] == [
        ("F-1", "recorded"),
        ("F-2", "refused"),
        ("OLD", "already_recorded"),
        ("F-3", "not_found"),
    ]
    assert body["outcomes"][1]["reasons"] == [
        "lines[0].quantity: quantity 2 is above the 1 remaining on line 1"
    ]
    assert body["outcomes"][0]["shipment"]["lines"][0]["value"] == "3000000.00"
    assert (body["recorded"], body["refused"], body["already_recorded"], body["not_found"]) == (1, 1, 1, 1)
    usage = api.get(f"/permits/{permit.id}/usage", "officer").json()
    assert usage["lines"][0]["shipped_quantity"] == 3


def test_a_malformed_feed_is_refused_whole_naming_the_field(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=4)
    bad = _shipment(permit.id, declaration="F-2")
    bad["shipped_on"] = "2020-13-40"
    answer = api.post("/shipments/batch", "customs", json={"shipments": [_shipment(permit.id), bad]})
    assert_problem(answer, 422, "shipments.1.shipped_on")
    assert_problem(api.post("/shipments/batch", "customs", json={"shipments": []}), 422, "shipments")
    assert api.get(f"/permits/{permit.id}/shipments", "officer").json() == []
    assert (
        api.post("/shipments/batch", "auditor", json={"shipments": [_shipment(permit.id)]}).status_code == 403
    )
