"""API: the reference case's question, asked as the demo's border officer (token demo-customs-cbsa)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from exportguard.demo.loader import load_case
from exportguard.services.system import ExportGuard

CBSA = {"Authorization": "Bearer demo-customs-cbsa"}


def _ask(client: TestClient, day: str) -> dict[str, object]:
    question = {
        "permit": "EXP-2020-104513",
        "shipped_on": day,
        "destination": "TR",
        "consignee": "Baykar",
        "lines": [{"item_code": "2-15", "quantity": 1}],
    }
    response = client.post("/api/authorisations/check", json=question, headers=CBSA)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_mx15d_shipment_authorised_on_2020_09_15_refused_on_2020_10_10(
    eg: ExportGuard, client: TestClient
) -> None:
    load_case(eg)
    assert _ask(client, "2020-09-15")["authorised"] is True
    refused = _ask(client, "2020-10-10")
    assert refused["authorised"] is False
    assert refused["reasons"] == [
        {"code": "suspended", "field": "shipped_on", "message": "suspended on 2020-10-05"}
    ]
    usage = client.get("/api/permits/EXP-2020-104512/usage", headers=CBSA).json()
    assert usage["exhausted"] is True  # 4 licensed, 2 + 2 shipped in June and August 2020
