"""The annual report (EIPA s.27) over many shipment records on PostgreSQL.

100,000 permits (10 destinations, 1,000 exporters) and N shipments in 2020 with one line each are
generated with set-based SQL (default N = 10,000,000). Then, in one run:
- the floor: one SQL aggregate (exports by destination: SUM over the same joins);
- a plain Python loop over the same rows (streamed from a server-side cursor), summing by
  destination, item and exporter in a dict;
- the whole published report (annual_report: figures, developments, service standard, annexes),
  first summing the lines (before any roll-up), then through the daily roll-up (the worker's
  roll_up_exports job, timed too) with 1% more lines recorded after the roll-up ran, read live.
Goal: the report under 5 s on 2 cores at 10,000,000 shipment lines.

    ./run bench annual_report [--shipments N] [--permits N]
URL: EXPORTGUARD_BENCH_DATABASE_URL, else a fresh database on postgresql://postgres@127.0.0.1:5432
(dropped afterwards).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bulk_actions import generate as generate_permits

from exportguard.adapters.clock import FixedClock
from exportguard.services.reference.control_list import sync_reference_data
from exportguard.services.system import ExportGuard
from exportguard.services.transparency import annual, register, rollups
from exportguard.services.transparency.figures import actual_exports_query

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def generate_shipments(
    system: ExportGuard, shipments: int, recorded_at: str = "2021-01-15 12:00+00", prefix: str = "D-"
) -> None:
    """``shipments`` declarations in 2020, one line each, spread over every permit."""
    with system.engine.begin() as c:
        start = c.execute(text("SELECT coalesce(max(id), 0) FROM shipments")).scalar_one()
        first, count = c.execute(text("SELECT min(id), count(*) FROM permits")).one()
        c.execute(
            text("""
            INSERT INTO shipments (exporter_id, declaration_id, permit_id, shipped_on, port, reverses_id,
              reason, recorded_at, recorded_by)
            SELECT p.holder_id, :prefix || g, p.id, DATE '2020-01-01' + (g % 366), '', NULL, '',
              CAST(:recorded_at AS TIMESTAMPTZ), 'bench'
            FROM generate_series(1, :n) g JOIN permits p ON p.id = :first + (g % :count)"""),
            {"first": first, "count": count, "n": shipments, "prefix": prefix, "recorded_at": recorded_at},
        )
        c.execute(
            text("""
            INSERT INTO shipment_lines (shipment_id, permit_line_id, quantity, value, currency)
            SELECT s.id, pl.id, 1, pl.unit_value, pl.currency
            FROM shipments s JOIN permit_lines pl ON pl.permit_id = s.permit_id WHERE s.id > :start"""),
            {"start": start},
        )
        c.execute(text("ANALYZE"))


def floor(system: ExportGuard) -> tuple[float, int]:
    t = time.perf_counter()
    with system.engine.connect() as c:
        rows = c.execute(
            text("""
            SELECT p.destination_code, sum(sl.value) FROM shipment_lines sl
            JOIN shipments s ON s.id = sl.shipment_id JOIN permits p ON p.id = s.permit_id
            WHERE s.shipped_on BETWEEN '2020-01-01' AND '2020-12-31' GROUP BY p.destination_code""")
        ).all()
    return time.perf_counter() - t, len(rows)


def python_loop(system: ExportGuard) -> tuple[float, int]:
    """The same figures summed in Python from every row (what a hand-written report would do)."""
    t = time.perf_counter()
    sums: dict[tuple[str, str, int], list[Decimal | int]] = defaultdict(lambda: [0, Decimal(0)])
    with system.engine.connect() as c:
        result = c.execution_options(stream_results=True, yield_per=50_000).execute(
            text("""
            SELECT p.destination_code, pl.item_code, p.holder_id, sl.quantity, sl.value FROM shipment_lines sl
            JOIN shipments s ON s.id = sl.shipment_id JOIN permit_lines pl ON pl.id = sl.permit_line_id
            JOIN permits p ON p.id = s.permit_id
            WHERE s.shipped_on BETWEEN '2020-01-01' AND '2020-12-31'""")
        )
        for dest, item, holder, qty, value in result:
            acc = sums[(dest, item, holder)]
            acc[0] += qty
            acc[1] += value
    return time.perf_counter() - t, len(sums)


def report(system: ExportGuard) -> tuple[float, annual.AnnualReport]:
    t = time.perf_counter()
    with system.read() as session:
        r = annual.annual_report(session, register.PUBLIC_READER, 2020)
    return time.perf_counter() - t, r


def run(url: str, permits: int, shipments: int) -> None:
    system = ExportGuard.from_url(url, FixedClock(datetime(2021, 5, 31, 12, tzinfo=UTC)))
    with system.read() as session:
        sync_reference_data(session)
    t = time.perf_counter()
    generate_permits(system, permits)
    generate_shipments(system, shipments)
    print(
        f"generated {permits:,} permits and {shipments:,} shipment lines in {time.perf_counter() - t:.1f} s"
    )
    with system.engine.connect() as c:
        plan = c.execute(text("EXPLAIN " + str(actual_exports_query(2020).compile(
            system.engine, compile_kwargs={"literal_binds": True})))).scalars().all()  # fmt: skip
    print("report's query plan:", " | ".join(line.strip() for line in plan[:6]))
    f, n_dest = floor(system)
    before_time, before = report(system)
    print(f"before any roll-up: SQL aggregate (floor) {f:.2f} s; annual report summing the lines "
          f"{before_time:.2f} s (total {before.summary.total_value:,} {before.currency})")  # fmt: skip
    t = time.perf_counter()
    with system.read() as session:
        done = rollups.roll_up(session, system.clock.now())
        session.commit()
    assert done is not None
    print(f"roll-up job (once a day's lines, incrementally after): {time.perf_counter() - t:.2f} s, "
          f"{done.lines_added:,} lines into {done.rows_written:,} rows")  # fmt: skip
    tail = max(shipments // 100, 1)
    generate_shipments(system, tail, recorded_at="2021-05-31 08:00+00", prefix="T-")
    print(f"{tail:,} more lines recorded after the roll-up (read live by the report)")
    for attempt in (1, 2):  # the first run warms the cache; both are printed
        f, n_dest = floor(system)
        r_time, r = report(system)
        print(f"run {attempt}: SQL aggregate (floor) {f:.2f} s ({n_dest} destinations); "
              f"annual report {r_time:.2f} s (total {r.summary.total_value:,} {r.currency})")  # fmt: skip
    with system.engine.connect() as c:
        lines_total = c.execute(text("SELECT sum(value) FROM shipment_lines")).scalar_one()
    agree = Decimal(lines_total) / 100 == r.summary.total_value
    print(f"the report's total equals the lines' own sum: {'yes' if agree else 'NO'}")
    loop, groups = python_loop(system)
    print(f"plain Python loop over the same rows: {loop:.2f} s ({groups:,} groups)")
    if shipments >= 10_000_000:
        print(f"goal: annual report under 5 s at 10,000,000 lines -> {'met' if r_time < 5 else 'NOT met'}")
    else:
        print(f"(the goal, under 5 s, is for 10,000,000 lines; this run had {shipments:,})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipments", type=int, default=10_000_000)
    parser.add_argument("--permits", type=int, default=100_000)
    args = parser.parse_args()
    url = os.environ.get("EXPORTGUARD_BENCH_DATABASE_URL")
    created = None
    admin = create_engine(SERVER + "/postgres", isolation_level="AUTOCOMMIT")
    if not url:
        created = f"eg_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{created}"'))
        url = f"{SERVER}/{created}"
    try:
        run(url, args.permits, args.shipments)
    finally:
        if created:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
