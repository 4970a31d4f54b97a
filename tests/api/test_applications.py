"""Applications over the API: draft, edit, named commands, filters, and own-records-only."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, assert_problem
from tests.factories import World, application_input


def _body(w: World, **overrides: object) -> dict[str, Any]:
    return application_input(w, **overrides).model_dump(mode="json")


def _draft(api: Api, w: World, who: str = "exporter", **overrides: object) -> dict[str, Any]:
    response = api.post("/applications", who, json=_body(w, **overrides))
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/applications/{response.json()['id']}"
    return dict(response.json())


def test_draft_edit_submit_review_withdraw(api: Api, w: World) -> None:
    app = _draft(api, w)
    assert app["state"] == "draft"
    edited = api.put(f"/applications/{app['id']}", "exporter", json=_body(w, end_use="Border surveillance"))
    assert edited.status_code == 200, edited.text
    assert edited.json()["end_use"] == "Border surveillance"
    submitted = api.post(
        f"/applications/{app['id']}/submit", "exporter", json={"effective_date": "2020-04-20"}
    )
    assert submitted.json()["state"] == "submitted"
    assert api.post(f"/applications/{app['id']}/begin-review", "officer").json()["state"] == "under_review"
    withdrawn = api.post(f"/applications/{app['id']}/withdraw", "exporter", json={"reason": "contract lost"})
    assert withdrawn.json()["state"] == "withdrawn"
    got = api.get(f"/applications/{app['id']}", "officer").json()
    assert [h["command"] for h in got["history"]] == ["draft", "submit", "begin_review", "withdraw"]


def test_incomplete_application_lists_every_problem(api: Api, w: World) -> None:
    app = _draft(api, w, documents=[], no_diversion_declared=False, end_use="", requested_valid_to=None)
    body = assert_problem(
        api.post(f"/applications/{app['id']}/submit", "exporter"),
        422,
        "documents",
        "no_diversion_declared",
        "end_use",
        "requested_validity",
    )
    assert body["title"] == "Application incomplete or inconsistent"
    assert api.get(f"/applications/{app['id']}", "exporter").json()["state"] == "draft"


def test_bad_line_fields_are_named_by_path(api: Api, w: World) -> None:
    body = _body(w)
    body["lines"][0]["quantity"] = "seven"
    body["destination"] = "Turkey"
    assert_problem(api.post("/applications", "exporter", json=body), 422, "lines.0.quantity", "destination")


def test_unknown_country_is_named(api: Api, w: World) -> None:
    assert_problem(api.post("/applications", "exporter", json=_body(w, destination="XX")), 422, "destination")


def test_list_filters_by_destination_state_and_as_of(api: Api, w: World) -> None:
    first = _draft(api, w, application_date="2020-04-01")
    _draft(api, w, destination="DE")
    api.post(f"/applications/{first['id']}/submit", "exporter", json={"effective_date": "2020-04-10"})
    refs = api.get("/applications?destination=TR", "officer").json()
    assert [a["id"] for a in refs] == [first["id"]]
    assert [a["id"] for a in api.get("/applications?state=submitted", "officer").json()] == [first["id"]]
    on_5th = api.get("/applications?destination=TR&as_of=2020-04-05", "officer").json()
    assert [a["state"] for a in on_5th] == ["draft"]
    assert_problem(api.get("/applications?state=pending", "officer"), 422, "state")


def test_exporter_sees_only_its_own_applications(api: Api, w: World) -> None:
    app = _draft(api, w)
    assert api.get("/applications", "rival").json() == []
    assert_problem(api.get(f"/applications/{app['id']}", "rival"), 404)
    assert_problem(api.post(f"/applications/{app['id']}/submit", "rival"), 404)
    assert_problem(api.post("/applications", "rival", json=_body(w)), 403, "parties.applicant")


def test_illegal_application_command_is_409(api: Api, w: World) -> None:
    app = _draft(api, w)
    assert_problem(api.post(f"/applications/{app['id']}/begin-review", "officer"), 409, "state")
    assert_problem(api.post(f"/applications/{app['id']}/new-version", "exporter", json={"reason": "x"}), 409)
