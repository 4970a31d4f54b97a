"""The export roll-up: figures read through it equal the lines' own sums, at every moment (both databases)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from exportguard.adapters.clock import FixedClock
from exportguard.db.models import ExportRollup, ExportRollupSeal
from exportguard.services.system import ExportGuard
from exportguard.services.transparency import annual, register
from exportguard.services.transparency.figures import (
    _rows,
    actual_exports,
    actual_exports_query,
    end_of_day,
)
from exportguard.services.transparency.rollups import roll_up
from tests.factories import World, issued, ship, world

START = datetime(2021, 7, 1, 9, tzinfo=UTC)


def _ship(eg: ExportGuard, w: World, at: datetime, permit_id: int, ref: str, on: date, quantity: int) -> None:
    ship(ExportGuard(eg.engine, eg.session_factory, FixedClock(at)), w, permit_id, ref, on, quantity)


def _run(eg: ExportGuard, at: datetime) -> None:
    with eg.session_factory() as s, s.begin():
        roll_up(s, at)


def _same_as_the_lines(eg: ExportGuard, moments: list[datetime | None]) -> None:
    with eg.read() as s:
        for year in (2020, 2021):
            for by in moments:
                assert actual_exports(s, year, by) == _rows(s.execute(actual_exports_query(year, by))), (
                    year,
                    by,
                )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figures_through_the_roll_up_equal_the_lines_sums(eg: ExportGuard, seed: int) -> None:
    """Shipments recorded over weeks (some with the clock set back), runs at random moments: at every
    step and for every "as recorded by" day, the report's rows are exactly the lines' sums."""
    rng = random.Random(seed)
    w = world(eg)
    permits = [issued(eg, w, quantity=7).id for _ in range(6)]  # 42 units: one a shipment
    at = START
    checks: list[datetime | None] = [None]
    for n in range(40):
        step = rng.choice([timedelta(hours=5), timedelta(days=1), timedelta(days=3), -timedelta(days=4)])
        at = max(START, at + step)
        shipped = rng.choice([date(2020, 6, 1), date(2020, 12, 31), date(2021, 1, 1), date(2021, 6, 29)])
        _ship(eg, w, at, permits[n % 6], f"D-{seed}-{n}", shipped, 1)
        if rng.random() < 0.3:
            _run(eg, at + timedelta(hours=rng.randint(0, 60)))
            checks.append(end_of_day(at.date() - timedelta(days=rng.randint(0, 5))))
            _same_as_the_lines(eg, checks)
    _run(eg, at + timedelta(days=10))
    checks += [end_of_day(at.date()), at]  # ``at`` is no day's end: summed from the lines alone
    _same_as_the_lines(eg, checks)
    with eg.read() as s:
        seals = s.scalars(select(ExportRollupSeal).order_by(ExportRollupSeal.id)).all()
        assert seals and sum(x.lines_added for x in seals) == 40, "every line is rolled up once"
        assert s.scalars(select(ExportRollup)).first() is not None


def test_a_run_with_nothing_new_writes_no_seal(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w).id
    _ship(eg, w, START, permit, "D-1", date(2020, 7, 1), 2)
    with eg.session_factory() as s, s.begin():
        first = roll_up(s, START + timedelta(days=2))
        again = roll_up(s, START + timedelta(days=2, hours=3))
    assert first is not None and first.lines_added == 1 and again is None


def test_the_report_reads_the_roll_up_and_the_days_since(eg: ExportGuard) -> None:
    """A report after a run: the rolled-up day and a later shipment both count, as recorded by each day."""
    w = world(eg)
    permit = issued(eg, w).id
    _ship(eg, w, START, permit, "D-1", date(2020, 7, 1), 2)
    _run(eg, START + timedelta(days=3))
    _ship(eg, w, START + timedelta(days=4), permit, "D-2", date(2020, 8, 1), 1)
    with eg.read() as s:
        now = annual.annual_report(s, register.PUBLIC_READER, 2020)
        before = annual.annual_report(s, register.PUBLIC_READER, 2020, as_of=START.date() + timedelta(days=1))
        nothing = annual.annual_report(
            s, register.PUBLIC_READER, 2020, as_of=START.date() - timedelta(days=1)
        )
    assert [f.quantity for f in now.by_destination] == [3]
    assert [f.quantity for f in before.by_destination] == [2]
    assert nothing.by_destination == []
