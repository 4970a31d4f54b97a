"""Acts on one permit notify its holder as bulk acts do: a notice per act, in the act's transaction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from exportguard.db.models import Notice
from exportguard.domain.errors import IllegalTransition
from exportguard.domain.permits import PermitCommand
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.factories import MINISTER, issued, world


def _notices(eg: ExportGuard) -> list[Notice]:
    with eg.read() as s:
        return list(s.scalars(select(Notice).order_by(Notice.id)))


def test_suspend_reinstate_suspend_cancel_and_amend_each_notify_the_holder(eg: ExportGuard) -> None:
    w = world(eg)
    permit, other = issued(eg, w), issued(eg, w)
    acts = [
        (PermitCommand.SUSPEND, date(2020, 10, 5)),
        (PermitCommand.REINSTATE, date(2020, 11, 1)),
        (PermitCommand.SUSPEND, date(2020, 12, 1)),
        (PermitCommand.CANCEL, date(2021, 4, 12)),
    ]
    for command, day in acts:
        with eg.uow(MINISTER) as uow:
            permits.alter_permit(
                uow, permit.id, command, Act(reason=f"{command.value} review", effective_date=day)
            )
    with eg.uow(MINISTER) as uow:
        permits.amend_permit(
            uow,
            other.id,
            permits.AmendInput(
                reason="longer validity", valid_to=date(2021, 12, 31), effective_date=date(2020, 6, 1)
            ),
        )
    found = _notices(eg)
    assert [n.payload["act"] for n in found] == [
        "suspended",
        "reinstated",
        "suspended",
        "cancelled",
        "amended",
    ]
    assert {n.holder_id for n in found} == {w.exporter_id}
    assert all(n.status == "pending" and n.decision_id is None for n in found)
    assert [n.payload["permits"] for n in found] == [[f"{permit.number}/v1"]] * 4 + [[f"{other.number}/v1"]]
    assert found[0].payload["effective_date"] == "2020-10-05"
    assert found[0].payload["legal_basis"] == "EIPA s.10(1)"
    assert "suspend review" in found[0].body
    assert len({n.key for n in found}) == 5


def test_a_refused_act_writes_no_notice(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg))
    with pytest.raises(IllegalTransition), eg.uow(MINISTER) as uow:
        permits.alter_permit(uow, permit.id, PermitCommand.REINSTATE, Act(reason="not suspended"))
    assert _notices(eg) == []
