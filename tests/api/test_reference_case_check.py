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
        {
            "code": "suspended",
            "field": "shipped_on",
            "message": "suspended on 2020-10-05",
            "message_code": "border.state_on",
            "params": {"day": "2020-10-05", "state": "suspended"},
        }
    ]
    usage = client.get("/api/permits/EXP-2020-104512/usage", headers=CBSA).json()
    assert usage["exhausted"] is True  # 4 licensed, 2 + 2 shipped in June and August 2020


def test_permit_issued_before_the_halt_is_on_hold_in_december_2019(
    eg: ExportGuard, client: TestClient
) -> None:
    """Notice 992: permits issued before 11 Oct 2019 were on hold, usable again from 16 Apr 2020."""
    load_case(eg)
    question = {
        "permit": "EXP-2019-100311",
        "destination": "TR",
        "lines": [{"item_code": "2-15", "quantity": 1}],
    }
    december = client.post(
        "/api/authorisations/check", json={**question, "shipped_on": "2019-12-10"}, headers=CBSA
    )
    assert december.json()["authorised"] is False
    assert [r["code"] for r in december.json()["reasons"]] == ["on_hold"]
    assert "TR-2019-MORATORIUM" in december.json()["reasons"][0]["message"]
    may = client.post(
        "/api/authorisations/check", json={**question, "shipped_on": "2020-05-01"}, headers=CBSA
    )
    assert may.json()["authorised"] is True


def test_later_checks_show_the_diversion_flag_with_its_source(eg: ExportGuard, client: TestClient) -> None:
    load_case(eg)
    answer = _ask(client, "2021-05-03")
    flags = answer["diversion_flags"]
    assert isinstance(flags, list)
    assert {f["subject"] for f in flags} == {"destination", "consignee", "end_user"}
    assert all("MINA" not in f["source"] and "found breached" in f["source"] for f in flags)
    before = _ask(client, "2020-09-15")["diversion_flags"]
    assert before == []
