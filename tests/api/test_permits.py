"""Permits over the API: issue, the register as of a date, the EIPA s.10 commands, 409s."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from exportguard.adapters.clock import FixedClock
from exportguard.db.models import AuditEvent, PermitStateChange
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.factories import World, approved, issued

SUSPENSION = {
    "reason": "review of permits to Turkey after reports from Nagorno-Karabakh",
    "effective_date": "2020-10-05",
}


def _issue(api: Api, app_id: int, quantity: int = 4, **extra: Any) -> dict[str, Any]:
    body = {
        "valid_from": "2020-05-15",
        "valid_to": "2021-06-30",
        "issued_on": "2020-05-15",
        "lines": [{"application_line_no": 1, "quantity": quantity}],
        **extra,
    }
    response = api.post(f"/applications/{app_id}/permits", "officer", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_issue_then_read_by_id_and_number(api: Api, eg: ExportGuard, w: World) -> None:
    app = approved(eg, w)
    permit = _issue(api, app.id, number="EXP-2020-0001")
    assert permit["lines"][0]["quantity"] == 4
    by_number = api.get("/permits/EXP-2020-0001", "customs").json()
    assert by_number["id"] == permit["id"]
    assert by_number["timeline"][0]["command"] == "issue"
    assert_problem(
        api.post(
            f"/applications/{app.id}/permits",
            "officer",
            json={
                "valid_from": "2020-05-15",
                "valid_to": "2021-06-30",
                "lines": [{"application_line_no": 1, "quantity": 9}],
            },
        ),
        409,
        "lines[1].quantity",
    )


def test_active_on_4_october_suspended_on_6_october(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    suspended = api.post(f"/permits/{permit.id}/suspend", "minister", json=SUSPENSION)
    assert suspended.status_code == 200, suspended.text
    on_4th = api.get("/permits?destination=TR&as_of=2020-10-04", "officer").json()
    on_6th = api.get("/permits?destination=TR&as_of=2020-10-06", "officer").json()
    assert [(p["number"], p["status"]) for p in on_4th] == [(permit.number, "active")]
    assert [(p["number"], p["status"]) for p in on_6th] == [(permit.number, "suspended")]
    assert api.get("/permits?status=active&as_of=2020-10-06", "officer").json() == []
    one = api.get(f"/permits/{permit.id}?as_of=2020-10-04", "officer").json()
    assert (one["status"], len(one["timeline"])) == ("active", 1)
    timeline = api.get(f"/permits/{permit.id}", "officer").json()["timeline"]
    assert timeline[-1] | {"recorded_at": None} == {
        "state": "suspended",
        "command": "suspend",
        "effective_date": "2020-10-05",
        "recorded_at": None,
        "principal": "minister",
        "reason": SUSPENSION["reason"],
        "legal_basis": "EIPA s.10(1)",
    }


def test_register_filters(api: Api, eg: ExportGuard, w: World, clock: FixedClock) -> None:
    permit = issued(eg, w)
    clock.set(datetime(2020, 6, 1, 9, 0, tzinfo=UTC))  # the register defaults to today's status
    for query, expected in (
        (f"holder_id={w.exporter_id}", [permit.number]),
        (f"holder_id={w.consignee_id}", []),
        ("item_code=2-15", [permit.number]),
        ("item_group=2", [permit.number]),
        ("item_group=9", []),
        ("destination=DE", []),
        ("as_of=2020-05-14", []),
        ("known_at=2020-04-19T00:00:00Z", []),
    ):
        got = [p["number"] for p in api.get(f"/permits?{query}", "officer").json()]
        assert got == expected, query
    assert api.get("/permits", "officer").json()[0]["status"] == "active"
    assert_problem(api.get("/permits?item_group=12&status=lost", "officer"), 422, "item_group", "status")


def test_reinstate_cancel_amend_and_expire(api: Api, eg: ExportGuard, w: World, clock: FixedClock) -> None:
    permit = issued(eg, w, quantity=5)
    api.post(f"/permits/{permit.id}/suspend", "minister", json=SUSPENSION)
    clock.set(datetime(2021, 1, 10, 9, 0, tzinfo=UTC))  # later acts default to today
    back = api.post(f"/permits/{permit.id}/reinstate", "director", json={"reason": "review cleared"})
    assert back.json()["state"] == "active"
    amended = api.post(
        f"/permits/{permit.id}/amend", "minister", json={"reason": "extend", "valid_to": "2021-12-31"}
    )
    assert amended.status_code == 201, amended.text
    new = amended.json()
    assert (new["version"], new["valid_to"], new["supersedes_id"]) == (2, "2021-12-31", permit.id)
    assert api.get(f"/permits/{permit.id}", "officer").json()["state"] == "superseded"
    cancelled = api.post(f"/permits/{new['id']}/cancel", "minister", json={"reason": "end-use breach"})
    assert cancelled.json()["state"] == "cancelled"
    # Approved today (2021-01-10), so issued today: valid earlier only as a retroactive permit.
    other = issued(
        eg,
        w,
        quantity=2,
        valid_from=date(2020, 1, 1),
        valid_to=date(2020, 4, 1),
        issued_on=date(2021, 1, 10),
        retroactive_reason="recorded after the exports it covered",
    )
    swept = api.post("/permits/expire-due", "officer").json()
    assert swept == {"expired": [f"{other.number}/v1"]}
    assert api.post("/permits/expire-due", "officer").json() == {"expired": []}


def test_illegal_command_is_409_and_changes_nothing(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    cancel = {"reason": "end-use breach", "effective_date": "2021-04-12"}
    assert api.post(f"/permits/{permit.id}/cancel", "minister", json=cancel).status_code == 200

    def snapshot() -> tuple[int, int]:
        with eg.read() as s:
            return (
                s.scalar(select(func.count()).select_from(PermitStateChange)) or 0,
                s.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            )

    before = snapshot()
    for command in ("suspend", "reinstate", "cancel", "amend"):
        body = assert_problem(
            api.post(f"/permits/{permit.id}/{command}", "minister", json=cancel), 409, "state"
        )
        assert body["title"] == "Command not allowed in this state"
    assert snapshot() == before
    assert api.get(f"/permits/{permit.id}", "officer").json()["state"] == "cancelled"


def test_act_needs_a_reason(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    assert_problem(api.post(f"/permits/{permit.id}/suspend", "minister", json={}), 422, "reason")
    assert_problem(api.post(f"/permits/{permit.id}/suspend", "minister", json={"reason": " "}), 422, "reason")
    assert_problem(
        api.post(
            f"/permits/{permit.id}/suspend", "minister", json={"reason": "r", "effective_date": "5 Oct"}
        ),
        422,
        "effective_date",
    )


def test_who_may_alter_and_who_may_see(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    assert_problem(api.post(f"/permits/{permit.id}/suspend", "officer", json=SUSPENSION), 403)
    assert_problem(api.post(f"/permits/{permit.id}/suspend", None, json=SUSPENSION), 401)
    assert_problem(api.post(f"/permits/{permit.id}/suspend", "exporter", json=SUSPENSION), 403)
    assert [p["id"] for p in api.get("/permits?as_of=2020-06-01", "exporter").json()] == [permit.id]
    assert api.get("/permits?as_of=2020-06-01", "rival").json() == []
    assert_problem(api.get(f"/permits/{permit.id}", "rival"), 404)
    assert_problem(api.get(f"/permits/{permit.number}", "rival"), 404)
    assert_problem(api.get("/permits"), 401)
