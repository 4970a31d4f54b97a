"""Notices are delivered with retries and never twice; policy files apply idempotently; approval
against a presumptive denial records its exception."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from exportguard.adapters.clock import FixedClock
from exportguard.adapters.notifications import InMemorySender
from exportguard.db.models import Notice, NoticeEndpoint
from exportguard.domain.errors import Conflict, NotPermitted
from exportguard.services.applications import assessments
from exportguard.services.applications import commands as applications
from exportguard.services.permits import bulk_actions, notices
from exportguard.services.policy import determination, policy_files
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, DIRECTOR, MINISTER, OFFICER, all_findings, issued, submitted, world

POLICY = """
name: test-policy
measures:
  - key: TR-NTE-992
    destination: TR
    kind: presumptive_denial
    title: Notice 992
    legal_basis: Notice to Exporters No. 992
    effective_from: 2020-04-16
    effective_to: 2024-01-29
    item_groups: [2]
    exception_grounds: [NATO cooperation programs]
    exception_authority: minister
"""


def test_delivery_retries_with_backoff_and_never_resends(eg: ExportGuard, clock: FixedClock) -> None:
    w = world(eg)
    issued(eg, w)
    with eg.read() as s:
        s.add(
            NoticeEndpoint(party_id=w.exporter_id, channel="webhook", address="https://wescam.example/hook")
        )
        s.commit()
    act = {
        "command": "suspend",
        "scope": {"destination": "TR"},
        "reason": "r",
        "decision_ref": "N-1",
        "effective_date": "2020-10-05",
    }
    with eg.uow(MINISTER) as uow:
        bulk_actions.execute(uow, bulk_actions.BulkActInput.model_validate(act))
    hook = InMemorySender(fail_next=1)
    first = notices.deliver_due(eg, AUDITOR, {"webhook": hook})
    assert (first.delivered, first.retrying) == (0, 1)
    assert notices.deliver_due(eg, AUDITOR, {"webhook": hook}).delivered == 0  # not yet due (backoff)
    clock.advance(minutes=2)
    assert notices.deliver_due(eg, AUDITOR, {"webhook": hook}).delivered == 1
    clock.advance(hours=1)
    assert notices.deliver_due(eg, AUDITOR, {"webhook": hook}).delivered == 0
    assert [m.key for m in hook.sent] == [f"N-1/{w.exporter_id}/webhook"]
    with eg.read() as s:
        assert s.scalars(select(Notice.status)).all() == ["delivered"]


def test_policy_file_applied_twice_changes_nothing(eg: ExportGuard) -> None:
    policy, digest = policy_files.parse_policy_file(POLICY)
    with eg.uow(MINISTER) as uow:
        assert policy_files.apply_policy_file(uow, policy, digest).recorded == ["TR-NTE-992/v1"]
    with eg.uow(MINISTER) as uow:
        again = policy_files.apply_policy_file(uow, policy, digest)
    assert not again.changed and again.unchanged == ["TR-NTE-992/v1"]
    changed, digest2 = policy_files.parse_policy_file(POLICY.replace("title: Notice 992", "title: NTE 992"))
    with eg.uow(MINISTER) as uow:
        assert policy_files.apply_policy_file(uow, changed, digest2).revised == ["TR-NTE-992/v2"]


def test_approval_against_a_presumptive_denial(eg: ExportGuard) -> None:
    policy, digest = policy_files.parse_policy_file(POLICY)
    with eg.uow(MINISTER) as uow:
        policy_files.apply_policy_file(uow, policy, digest)
    w = world(eg)
    app = submitted(eg, w)
    with eg.uow(OFFICER) as uow:
        applications.begin_review(uow, app.id)
    with eg.uow(OFFICER) as uow:
        assessments.record_assessment(uow, app.id, assessments.AssessmentInput(findings=all_findings()))
    plain = assessments.ApprovalInput(justification="low risk", effective_date=date(2020, 5, 19))
    with pytest.raises(Conflict), eg.uow(MINISTER) as uow:
        assessments.approve_application(uow, app.id, plain)
    claim = {
        "measure": "TR-NTE-992",
        "ground": "NATO cooperation programs",
        "justification": "allied program",
    }
    excepted = plain.model_copy(update={"policy_exception": claim})
    with pytest.raises(NotPermitted), eg.uow(DIRECTOR) as uow:
        assessments.approve_application(uow, app.id, excepted)
    with eg.uow(MINISTER) as uow:
        view = assessments.approve_application(uow, app.id, excepted)
    recorded = view.decisions[0].policy_exception
    assert recorded is not None and (recorded["measure_version"], recorded["authority"]) == (1, "minister")
    with eg.read() as s:
        rows = determination.list_exceptions(s, AUDITOR)
    assert [(r.decided_by, r.ground) for r in rows] == [("minister.champagne", "NATO cooperation programs")]
