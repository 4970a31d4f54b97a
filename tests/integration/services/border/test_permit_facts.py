"""Permits as the border sees them: the batch read and the drawdown's one-query read agree."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from exportguard.db.models import Permit
from exportguard.domain.access import Actor, Role
from exportguard.domain.permits import PermitCommand, PermitState
from exportguard.services.border import permit_facts
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, MINISTER, issued, world


def test_chunks_cover_every_value_once_in_order() -> None:
    values = list(range(12))
    parts = [list(p) for p in permit_facts.chunks(values, size=5)]
    assert parts == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11]]
    assert list(permit_facts.chunks([], size=5)) == []


def test_both_reads_give_the_same_facts_with_the_history(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w, quantity=4)
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.SUSPEND, Act(reason="review", effective_date=date(2020, 10, 5))
        )
    with eg.read() as s:
        row = s.scalars(select(Permit).where(Permit.id == permit.id)).one()
        [batch] = permit_facts.facts_of(s, [row])
        one = permit_facts.facts_for_drawdown(s, permit.id)
    assert one == batch
    assert (batch.number, batch.version, batch.destination) == (permit.number, 1, "TR")
    assert [(c.state, c.effective_date) for c in batch.history][-1] == (
        PermitState.SUSPENDED,
        date(2020, 10, 5),
    )
    assert [(ln.line_no, ln.quantity) for ln in batch.lines] == [(1, 4)]
    assert batch.consignee == "Baykar Makina"


def test_an_unknown_permit_has_no_facts(eg: ExportGuard) -> None:
    with eg.read() as s:
        assert permit_facts.facts_for_drawdown(s, 999_999) is None
        assert permit_facts.facts_of(s, []) == []


def test_versions_of_by_number_or_id_and_only_for_who_may_see_them(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w)
    with eg.read() as s:
        by_number = permit_facts.versions_of(s, AUDITOR, f"  {permit.number} ")
        by_id = permit_facts.versions_of(s, AUDITOR, permit.id)
        own = permit_facts.versions_of(s, w.exporter_actor(), permit.number)
        competitor = Actor("exporter.other", Role.EXPORTER, w.consignee_id)
        assert permit_facts.versions_of(s, competitor, permit.number) == []  # "no permit" to them
    assert [f.id for f in by_number] == [f.id for f in by_id] == [f.id for f in own] == [permit.id]


def test_nothing_drawn_until_a_shipment(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w)
    with eg.read() as s:
        facts = permit_facts.facts_for_drawdown(s, permit.id)
        assert facts is not None
        assert permit_facts.drawn_on(s, facts) == {}
        assert permit_facts.drawn_by_line_id(s, []) == {}
