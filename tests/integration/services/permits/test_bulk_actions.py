"""Bulk ministerial acts: preview = execution, all or nothing, once per decision reference."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportguard.db.models import AuditEvent, MinisterialDecisionPermit, Notice, Permit, PermitStateChange
from exportguard.domain.duties import SelfApproval
from exportguard.domain.errors import Conflict, InvalidInput, NotPermitted
from exportguard.domain.permits import PermitCommand
from exportguard.services.border import shipments
from exportguard.services.kernel import audit
from exportguard.services.kernel.common import Act
from exportguard.services.permits import bulk_actions
from exportguard.services.permits import commands as permits
from exportguard.services.permits import queries as permit_queries
from exportguard.services.permits.bulk_scope import ScopeInput
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, DIRECTOR, MINISTER, OFFICER, World, issued, world


def _act(command: str = "suspend", **overrides: object) -> bulk_actions.BulkActInput:
    data: dict[str, object] = {
        "command": command,
        "scope": {"destination": "TR", "item_group": 2},
        "reason": "review of end use",
        "effective_date": date(2020, 10, 5),
        "decision_ref": f"MIN-2020-{command}",
    }
    data.update(overrides)
    return bulk_actions.BulkActInput.model_validate(data)


def _three(eg: ExportGuard) -> tuple[World, list[int]]:
    w = world(eg)
    ids = [issued(eg, w, quantity=2).id for _ in range(3)]
    return w, ids


def test_preview_names_permits_holders_and_undelivered_quantities(eg: ExportGuard) -> None:
    w, ids = _three(eg)
    with eg.uow(w.exporter_actor()) as uow:
        shipments.record_shipment(
            uow,
            shipments.ShipmentInput(
                declaration_id="CBSA-1", permit_id=ids[0], shipped_on=date(2020, 6, 1),
                lines=[shipments.ShipmentLineInput(permit_line_no=1, quantity=1)],
            ),
        )  # fmt: skip
    with eg.read() as s:
        p = bulk_actions.preview_act(s, MINISTER, _act(), date(2020, 10, 1))
    assert p.permit_count == 3
    assert p.undelivered_quantity == 5
    assert str(p.undelivered_value["CAD"]) == "7500000.00"
    assert [(h.holder, h.permits) for h in p.holders] == [("L3Harris Wescam", 3)]
    assert p.pending_shipments == [] and p.conflicts == {}


def test_execution_is_one_decision_with_one_event_per_permit_and_a_notice(eg: ExportGuard) -> None:
    _w, ids = _three(eg)
    with eg.uow(MINISTER) as uow:
        result = bulk_actions.execute(uow, _act())
    assert result.permit_count == 3 and not result.repeated and result.notices == 1
    with eg.read() as s:
        states = set(s.scalars(select(Permit.state).where(Permit.id.in_(ids))))
        events = s.scalars(select(AuditEvent).where(AuditEvent.command == "suspend_permit")).all()
        links = s.scalars(select(MinisterialDecisionPermit)).all()
        assert states == {"suspended"}
        assert {e.subject_id for e in events} == set(ids)
        assert {link.audit_seq for link in links} == {e.seq for e in events}
        assert s.scalar(select(func.count()).select_from(Notice)) == 1
        assert audit.verify(s, AUDITOR).ok
        before = permit_queries.PermitFilter(destination="TR", status="active", as_of=date(2020, 10, 4))
        after = permit_queries.PermitFilter(destination="TR", status="suspended", as_of=date(2020, 10, 5))
        assert len(permit_queries.list_permits(s, OFFICER, before, date(2021, 1, 1))) == 3
        assert len(permit_queries.list_permits(s, OFFICER, after, date(2021, 1, 1))) == 3


def test_repeating_a_decision_reference_is_a_no_op(eg: ExportGuard) -> None:
    _three(eg)
    with eg.uow(MINISTER) as uow:
        first = bulk_actions.execute(uow, _act())
    with eg.read() as s:
        count = s.scalar(select(func.count()).select_from(PermitStateChange))
    with eg.uow(MINISTER) as uow:
        again = bulk_actions.execute(uow, _act())
    assert again.repeated and again.permits == first.permits
    with eg.read() as s:
        assert s.scalar(select(func.count()).select_from(PermitStateChange)) == count
    with pytest.raises(Conflict), eg.uow(MINISTER) as uow:
        bulk_actions.execute(uow, _act(reason="another reason"))


def test_reinstate_cancel_and_amend_validity(eg: ExportGuard) -> None:
    _three(eg)
    with eg.uow(MINISTER) as uow:
        bulk_actions.execute(uow, _act())
    with eg.uow(MINISTER) as uow:
        r = bulk_actions.execute(uow, _act("reinstate", effective_date=date(2020, 11, 1)))
    with eg.uow(MINISTER) as uow:
        a = bulk_actions.execute(
            uow, _act("amend_validity", effective_date=date(2020, 12, 1), valid_to=date(2021, 3, 31))
        )
    with eg.uow(MINISTER) as uow:
        c = bulk_actions.execute(uow, _act("cancel", effective_date=date(2021, 1, 4)))
    assert (r.permit_count, a.permit_count, c.permit_count) == (3, 3, 3)
    with eg.read() as s:
        assert sorted(s.scalars(select(Permit.state))) == ["cancelled"] * 3 + ["superseded"] * 3
        assert set(s.scalars(select(Permit.valid_to).where(Permit.state == "cancelled"))) == {
            date(2021, 3, 31)
        }
        assert audit.verify(s, AUDITOR).ok


def test_refusals_change_nothing(eg: ExportGuard) -> None:
    _three(eg)
    with pytest.raises(NotPermitted), eg.uow(OFFICER) as uow:
        bulk_actions.execute(uow, _act())
    with pytest.raises(InvalidInput), eg.uow(MINISTER) as uow:
        bulk_actions.execute(uow, _act(scope={}))
    with pytest.raises(Conflict), eg.uow(MINISTER) as uow:
        bulk_actions.execute(uow, _act(scope={"destination": "SA"}))
    with eg.uow(MINISTER) as uow:
        bulk_actions.execute(uow, _act())
    # A reinstatement dated before the suspension would fork the history: refused, nothing written.
    with pytest.raises(Conflict), eg.uow(MINISTER) as uow:
        bulk_actions.execute(uow, _act("reinstate", effective_date=date(2020, 10, 1)))
    with eg.read() as s:
        assert set(s.scalars(select(Permit.state))) == {"suspended"}


def test_saved_scope_is_acted_on_by_another_than_who_prepared_it(eg: ExportGuard) -> None:
    _three(eg)
    with eg.uow(DIRECTOR) as uow:
        bulk_actions.save_scope(
            uow,
            bulk_actions.SavedScopeInput(name="TR-GROUP-2", scope=ScopeInput(destination="TR", item_group=2)),
        )
    # Separation of duties (issue 10): who prepared the act does not take it; nothing is written.
    with pytest.raises(SelfApproval), eg.uow(DIRECTOR) as uow:
        bulk_actions.execute(uow, _act(scope=None, scope_name="TR-GROUP-2"))
    with eg.read() as s:
        assert set(s.scalars(select(Permit.state))) == {"active"}
    with eg.uow(MINISTER) as uow:
        result = bulk_actions.execute(uow, _act(scope=None, scope_name="TR-GROUP-2"))
    assert result.permit_count == 3 and result.decided_by == MINISTER.principal


def test_a_minister_does_not_act_on_a_scope_of_their_own_making(eg: ExportGuard) -> None:
    _three(eg)
    with eg.uow(MINISTER) as uow:
        bulk_actions.save_scope(
            uow, bulk_actions.SavedScopeInput(name="TR-ALL", scope=ScopeInput(destination="TR"))
        )
    with pytest.raises(SelfApproval) as refused, eg.uow(MINISTER) as uow:
        bulk_actions.execute(uow, _act(scope=None, scope_name="TR-ALL"))
    assert refused.value.status == 403 and refused.value.problems[0].field == "prepared_by"


def test_a_bulk_act_and_single_acts_leave_the_same_records(eg: ExportGuard) -> None:
    """Two paths, one rule: the single command (ORM, one locked permit, EIPA s.10(1)) and the bulk
    act (set-based, for 100,000 permits at once) both take each permit's new state from the
    transition table, and write the same history row and the same audit event for it."""
    w = world(eg)
    singles = [issued(eg, w, quantity=2).id for _ in range(2)]
    bulk = [issued(eg, w, quantity=2).id for _ in range(2)]
    suspended = Act(reason="review of end use", effective_date=date(2020, 10, 5))
    with eg.uow(MINISTER) as uow:  # one of each pair suspended first: a mixed set of states
        permits.alter_permit(uow, singles[0], PermitCommand.SUSPEND, suspended)
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(uow, bulk[0], PermitCommand.SUSPEND, suspended)
    cancel = Act(reason="credible evidence of diversion", effective_date=date(2021, 4, 12))
    for pid in singles:
        with eg.uow(MINISTER) as uow:
            permits.alter_permit(uow, pid, PermitCommand.CANCEL, cancel)
    with eg.uow(MINISTER) as uow:
        result = bulk_actions.execute(
            uow,
            _act(
                "cancel",
                effective_date=date(2021, 4, 12),
                reason="credible evidence of diversion",
                decision_ref="MIN-2021-04-12",
            ),
        )
    assert result.permit_count == len(bulk), "the singles, already cancelled, are out of scope"

    def records(s: Session, pid: int) -> tuple[object, ...]:
        permit = s.get_one(Permit, pid)
        change = s.scalars(
            select(PermitStateChange)
            .where(PermitStateChange.permit_id == pid)
            .order_by(PermitStateChange.id.desc())
        ).first()
        event = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_id == pid, AuditEvent.subject_type == "permit")
            .order_by(AuditEvent.seq.desc())
        ).first()
        assert change is not None and event is not None
        assert event.before is not None and event.after is not None
        return (permit.state, change.state, change.command, change.effective_date, change.reason,
                event.command, event.before["state"], event.after["state"], event.effective_date)  # fmt: skip

    with eg.read() as s:
        for single, in_bulk in zip(singles, bulk, strict=True):
            assert records(s, single) == records(s, in_bulk)
        assert {records(s, pid)[0] for pid in singles + bulk} == {"cancelled"}
        assert audit.verify(s, AUDITOR).ok
