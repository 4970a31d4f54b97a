"""Determination, measures, exceptions and bulk acts through the API (problem+json on errors)."""

from __future__ import annotations

from exportguard.demo.case import load_case_file
from exportguard.demo.loader import load_case
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.factories import World, issued


def test_determination_and_measures_on_the_case(api: Api, eg: ExportGuard) -> None:
    load_case(eg, load_case_file().model_copy(update={"acts": [], "investigations": []}))
    measures = api.get("/measures?destination=TR&as_of=2020-05-19").json()
    assert [m["key"] for m in measures] == ["TR-NTE-992"]
    found = api.post(
        "/determinations", "officer", json={"destination": "TR", "items": ["2-15"], "on": "2020-05-19"}
    )
    assert found.status_code == 200, found.text
    assert found.json()["outcome"] == "needs_exception"
    exceptions = api.get("/policy-exceptions", "auditor").json()
    assert {e["decided_by"] for e in exceptions} == {"minister.champagne"} and len(exceptions) == 2
    body = {
        "command": "suspend",
        "scope": {"destination": "TR", "item_group": 2},
        "reason": "review",
        "effective_date": "2020-10-05",
        "decision_ref": "API-1",
    }
    shown = api.post("/ministerial-decisions/preview", "minister", json=body).json()
    assert shown["permit_count"] == 29
    done = api.post("/ministerial-decisions", "minister", json=body)
    assert done.status_code == 200, done.text
    assert done.json()["permit_count"] == 29
    assert api.post("/ministerial-decisions", "minister", json=body).json()["repeated"] is True
    assert api.get("/ministerial-decisions/API-1", "auditor").json()["permit_count"] == 29
    assert len(api.get("/notices", "auditor").json()) == 5


def test_errors_are_problems(api: Api, eg: ExportGuard, w: World) -> None:
    issued(eg, w)
    body = {"command": "suspend", "scope": {}, "reason": "r", "decision_ref": "X-1"}
    assert_problem(api.post("/ministerial-decisions", "minister", json=body), 422, "scope")
    body["scope"] = {"destination": "TR"}
    assert_problem(api.post("/ministerial-decisions", "officer", json=body), 403)
    assert_problem(api.post("/determinations", "officer", json={"destination": "TR"}), 422, "items")
