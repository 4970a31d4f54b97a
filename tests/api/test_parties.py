"""Parties over the API, and how bad input is named field by field."""

from __future__ import annotations

from tests.api.conftest import Api, assert_problem


def test_register_and_list_parties(api: Api) -> None:
    created = api.post("/parties", "officer", json={"name": "Baykar Savunma", "country": "TR"})
    assert created.status_code == 201, created.text
    assert created.json()["country"] == "TR"
    names = [p["name"] for p in api.get("/parties", "customs").json()]
    assert "Baykar Savunma" in names


def test_bad_country_code_is_named(api: Api) -> None:
    assert_problem(api.post("/parties", "officer", json={"name": "X", "country": "XX"}), 422, "country")
    assert_problem(api.post("/parties", "officer", json={"name": "X", "country": "Turkey"}), 422, "country")


def test_unknown_wrong_typed_and_missing_fields_are_each_named(api: Api) -> None:
    body = assert_problem(
        api.post("/parties", "officer", json={"country": "CA", "nickname": "W", "organisation_id": "one"}),
        422,
        "name",
        "nickname",
        "organisation_id",
    )
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert "required" in messages["name"].lower()
    assert "extra" in messages["nickname"].lower() or "not permitted" in messages["nickname"].lower()


def test_public_may_not_list_parties(api: Api) -> None:
    assert_problem(api.get("/parties"), 401, "authorization")
