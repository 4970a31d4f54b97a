"""Reference data over the API: countries, the control list, products."""

from __future__ import annotations

from tests.api.conftest import Api, assert_problem
from tests.factories import World


def test_countries_and_control_list_are_public(api: Api) -> None:
    countries = api.get("/countries").json()
    assert any(c["code"] == "TR" for c in countries)
    groups = api.get("/control-list").json()
    group2 = next(g for g in groups if g["number"] == 2)
    item = next(i for i in group2["items"] if i["code"] == "2-15")
    assert item["wassenaar_ref"] == "ML15"


def test_products_list_and_register(api: Api, w: World) -> None:
    assert [p["model"] for p in api.get("/products").json()] == ["MX-15D"]
    body = {
        "maker_id": w.exporter_id,
        "model": "MX-10",
        "name": "MX-10 imaging turret",
        "classifications": [{"item_code": "2-15", "rationale": "military imaging"}],
    }
    created = api.post("/products", "officer", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["item_codes"] == ["2-15"]
    assert api.post("/products", "officer", json=body).status_code == 409


def test_product_with_unknown_item_names_the_classification(api: Api, w: World) -> None:
    body = {
        "maker_id": w.exporter_id,
        "model": "X",
        "name": "X",
        "classifications": [{"item_code": "2-99", "rationale": "?"}],
    }
    assert_problem(api.post("/products", "officer", json=body), 422, "classifications[0].item_code")


def test_exporter_may_not_register_products(api: Api, w: World) -> None:
    body = {
        "maker_id": w.exporter_id,
        "model": "X",
        "name": "X",
        "classifications": [{"item_code": "2-15", "rationale": "r"}],
    }
    assert_problem(api.post("/products", "exporter", json=body), 403)
