"""Post-shipment verification checks: planned, then done with a result (or called off), once."""

from __future__ import annotations

from datetime import date

import pytest

from exportguard.db.models import Permit
from exportguard.domain.errors import IllegalTransition, InvalidInput, NotPermitted
from exportguard.services.investigations import verification
from exportguard.services.system import ExportGuard
from tests.factories import OFFICER, issued, world


def test_check_planned_then_done_once(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w, quantity=2)
    plan = verification.PlanCheckInput(
        permit=permit.number, place="Baykar, Istanbul", planned_on=date(2020, 11, 3)
    )
    with eg.uow(OFFICER) as uow:
        check = verification.plan_check(uow, plan)
    assert (check.state, check.permit, check.result) == ("planned", permit.number, None)
    with eg.uow(OFFICER) as uow:
        done = verification.record_result(
            uow,
            check.id,
            verification.CheckResultInput(
                result="access_refused", notes="Visit declined", on=date(2020, 11, 3)
            ),
        )
    assert (done.state, done.result, done.done_by) == ("done", "access_refused", OFFICER.principal)
    with eg.uow(OFFICER) as uow, pytest.raises(IllegalTransition):
        verification.record_result(uow, check.id, verification.CheckResultInput(result="goods_in_place"))
    with eg.read() as s:
        row = s.get(Permit, permit.id)
        assert row is not None
        assert [c.result for c in verification.checks_for(s, OFFICER, row)] == ["access_refused"]
    with eg.uow(w.exporter_actor()) as uow, pytest.raises(NotPermitted):
        verification.plan_check(uow, plan)
    with eg.uow(OFFICER) as uow, pytest.raises(InvalidInput, match="no permit"):
        verification.plan_check(uow, plan.model_copy(update={"permit": "EXP-NONE"}))
