"""The audit log over the API: events and verification."""

from __future__ import annotations

from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.factories import World, issued


def test_events_and_verify(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    api.post(
        f"/permits/{permit.id}/suspend", "minister", json={"reason": "review", "effective_date": "2020-10-05"}
    )
    events = api.get(f"/audit/events?subject_type=permit&subject_id={permit.id}", "auditor").json()
    assert [e["command"] for e in events] == ["issue_permit", "suspend_permit"]
    assert events[-1]["principal"] == "minister"
    first = api.get("/audit/events?limit=1", "auditor").json()
    assert len(first) == 1
    rest = api.get(f"/audit/events?after_seq={first[0]['seq']}", "auditor").json()
    assert rest[0]["seq"] == first[0]["seq"] + 1
    report = api.get("/audit/verify", "auditor").json()
    assert report["ok"] is True, report
    assert report["chain_break"] is None
    assert report["events_checked"] >= 2


def test_audit_is_for_auditors_and_deciders(api: Api) -> None:
    assert_problem(api.get("/audit/verify", "exporter"), 403)
    assert_problem(api.get("/audit/events"), 401)
    assert_problem(api.get("/audit/events?limit=0", "auditor"), 422, "limit")
