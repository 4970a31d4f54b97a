"""The permit page shows usage per line in value, as of the date asked, with shipments drawn down."""

from __future__ import annotations

from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import World, issued


def test_permit_page_shows_value_licensed_shipped_and_remaining(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=4)
    shipment = {
        "declaration_id": "CBSA-1",
        "permit_id": permit.id,
        "shipped_on": "2020-06-18",
        "lines": [{"permit_line_no": 1, "quantity": 3}],
    }
    assert api.post("/shipments", "customs", json=shipment).status_code == 201
    sign_in(api.client, "officer")
    page = api.client.get(f"/permits/{permit.id}").text
    assert 'id="usage"' in page
    assert "6,000,000.00 CAD" in page and "4,500,000.00 CAD" in page and "1,500,000.00 CAD" in page
    before = api.client.get(f"/permits/{permit.id}?as_of=2020-06-01").text
    assert "4,500,000.00 CAD" not in before and "0.00 CAD" in before


def test_a_permit_used_up_in_value_shows_as_exhausted(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=4)
    shipment = {
        "declaration_id": "CBSA-2",
        "permit_id": permit.id,
        "shipped_on": "2020-06-18",
        "lines": [{"permit_line_no": 1, "quantity": 1, "value": "6000000.00"}],
    }
    assert api.post("/shipments", "customs", json=shipment).status_code == 201
    sign_in(api.client, "officer")
    assert "tag-exhausted" in api.client.get(f"/permits/{permit.id}").text
    assert api.get(f"/permits/{permit.id}/usage", "officer").json()["exhausted"] is True
