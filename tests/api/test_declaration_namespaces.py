"""Declaration ids are each exporter's own (issue 10): one organisation's ids neither collide with nor
reveal another's, and nobody can squat another's id first."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from exportguard.db.models import Party
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.api.test_shipments import _shipment
from tests.factories import World, issued


@pytest.fixture
def permits(api: Api, eg: ExportGuard, w: World) -> tuple[int, int]:
    """A permit of L3Harris Wescam (the ``exporter``) and one of Rival Optics (the ``rival``)."""
    with eg.read() as session:
        rival = session.scalar(select(Party.id).where(Party.name == "Rival Optics"))
    assert rival is not None
    ours = issued(eg, w, quantity=5)
    theirs = issued(eg, dataclasses.replace(w, exporter_id=rival), quantity=5)
    return ours.id, theirs.id


def test_same_id_for_two_exporters_neither_collides_nor_reveals(api: Api, permits: tuple[int, int]) -> None:
    ours, theirs = permits
    first = api.post("/shipments", "exporter", json=_shipment(ours, qty=2))
    assert first.status_code == 201, first.text
    # The rival uses the same id on its own permit: recorded, not a 409 naming the other's permit.
    second = api.post("/shipments", "rival", json=_shipment(theirs, qty=1))
    assert second.status_code == 201, second.text
    assert second.json()["id"] != first.json()["id"] and second.json()["already_recorded"] is False
    # Its id reused with other content is a conflict about its own entry only.
    reused = api.post("/shipments", "rival", json=_shipment(theirs, qty=3))
    body = assert_problem(reused, 409, "declaration_id", "lines[0].quantity")
    # Compared with its own entry (1 unit), never the other exporter's (2 units, another permit).
    assert {e["field"] for e in body["errors"]} == {"declaration_id", "lines[0].quantity"}
    assert body["detail"].endswith("differs from the recorded 1")
    # And the first exporter's entry is as it was: the id resent is harmless for it too.
    again = api.post("/shipments", "exporter", json=_shipment(ours, qty=2))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert [s["declaration_id"] for s in api.get(f"/permits/{theirs}/shipments", "rival").json()] == [
        "CBSA-1"
    ]


def test_an_id_cannot_be_squatted_first(api: Api, permits: tuple[int, int]) -> None:
    ours, theirs = permits
    squat = api.post("/shipments", "rival", json=_shipment(theirs, qty=1, declaration="CBSA-77"))
    assert squat.status_code == 201
    # Customs then declares the exporter's real export under that id: recorded on its permit.
    real = api.post("/shipments", "customs", json=_shipment(ours, qty=4, declaration="CBSA-77"))
    assert real.status_code == 201, real.text
    assert real.json()["lines"][0]["quantity"] == 4


def test_customs_feed_keeps_each_exporters_ids_apart(api: Api, permits: tuple[int, int]) -> None:
    ours, theirs = permits
    feed = {"shipments": [_shipment(ours, qty=2), _shipment(theirs, qty=1), _shipment(ours, qty=2)]}
    first = api.post("/shipments/batch", "customs", json=feed).json()
    assert [o["status"] for o in first["outcomes"]] == ["recorded", "recorded", "already_recorded"]
    again = api.post("/shipments/batch", "customs", json=feed).json()
    assert [o["status"] for o in again["outcomes"]] == ["already_recorded"] * 3
    other = api.post("/shipments/batch", "customs", json={"shipments": [_shipment(theirs, qty=2)]}).json()
    assert other["outcomes"][0]["status"] == "conflict"


def test_reversal_names_the_exporter_when_ids_coincide(api: Api, permits: tuple[int, int], w: World) -> None:
    ours, theirs = permits
    api.post("/shipments", "exporter", json=_shipment(ours, qty=2))
    api.post("/shipments", "rival", json=_shipment(theirs, qty=1))
    reversal = {
        "declaration_id": "CBSA-1-R",
        "reverses": "CBSA-1",
        "shipped_on": "2020-07-01",
        "reason": "returned",
    }
    assert_problem(api.post("/shipments/reversals", "customs", json=reversal), 422, "exporter_id")
    made = api.post("/shipments/reversals", "customs", json={**reversal, "exporter_id": w.exporter_id})
    assert made.status_code == 201, made.text
    assert made.json()["permit_id"] == ours and made.json()["lines"][0]["quantity"] == -2
