"""Bulk ministerial act on PostgreSQL: preview and suspend the 100,000 active permits of one destination.

1,000,000 permits (10 destinations x 100,000, one line and one history row each) are generated with
set-based SQL. Then, on TR: the preview (exact permits, holders, undelivered quantities and values,
pending shipments) and the execution (one decision, one state change and one hash-chained audit event
per permit, notices per holder), beside a plain ``UPDATE permits SET state = 'suspended'`` of the
same rows (rolled back) as the floor. Goal: preview and execution each under 10 s. Meanwhile another
process records shipments on permits the act does not touch, beside the same when idle: audited
writes no longer queue on one audit row, so their latency should not move (goal: unchanged).

    ./run bench bulk_actions [--permits N]
URL: EXPORTGUARD_BENCH_DATABASE_URL, else a fresh database on postgresql://postgres@127.0.0.1:5432
(dropped afterwards).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import create_engine, select, text

from exportguard.adapters.clock import FixedClock
from exportguard.db.models import Permit
from exportguard.domain.access import Actor, Role
from exportguard.domain.bulk_actions import BulkCommand, Scope
from exportguard.services.border.shipments import ShipmentInput, ShipmentLineInput, record_shipment
from exportguard.services.permits import bulk_actions
from exportguard.services.permits.bulk_scope import preview
from exportguard.services.reference.control_list import sync_reference_data
from exportguard.services.system import ExportGuard

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DESTINATIONS = ["TR", "SA", "GB", "DE", "FR", "JP", "AU", "IT", "ES", "NL"]
MINISTER = Actor("minister.bench", Role.MINISTER)


def generate(system: ExportGuard, permits: int) -> None:
    holders = 1000
    with system.engine.begin() as c:
        c.execute(
            text("""
            INSERT INTO parties (kind, name, address, city, country_code, email, phone, identifier)
            SELECT 'organisation', 'Exporter ' || g, g || ' Main Street', 'Ottawa', 'CA', '', '', ''
            FROM generate_series(1, :n) g"""),
            {"n": holders + 1},
        )
        consignee = c.execute(text("SELECT max(id) FROM parties")).scalar_one()
        c.execute(
            text("""
            INSERT INTO products (maker_id, model, name, description)
            VALUES (:m, 'BENCH-1', 'Bench turret', '')"""),
            {"m": consignee - 1},
        )
        product = c.execute(text("SELECT max(id) FROM products")).scalar_one()
        c.execute(text("INSERT INTO product_classifications VALUES (:p, '2-15', 'bench')"), {"p": product})
        c.execute(
            text("""
            INSERT INTO applications (reference, version, state, organisation_id, destination_code, end_use,
              end_use_location, no_diversion_declared, application_date, created_at)
            VALUES ('APP-BENCH', 1, 'approved', :o, 'TR', 'bench', 'bench', true, '2020-01-02', now())"""),
            {"o": consignee - 1},
        )
        app = c.execute(text("SELECT max(id) FROM applications")).scalar_one()
        c.execute(
            text("""
            INSERT INTO application_lines (application_id, line_no, product_id, item_code, description,
              quantity,
              unit, unit_value, currency, origin_country, us_content_percent)
            VALUES (:a, 1, :p, '2-15', 'bench', 1000000000, 'unit', 150000000, 'CAD', 'CA', 0)"""),
            {"a": app, "p": product},
        )
        line = c.execute(text("SELECT max(id) FROM application_lines")).scalar_one()
        first_holder = consignee - holders
        c.execute(
            text("""
            INSERT INTO permits (number, version, application_id, holder_id, consignee_id, end_user_id,
              destination_code, state, issued_on, valid_from, valid_to, conditions)
            SELECT 'B-' || lpad(g::text, 8, '0'), 1, :a, :h + (g % :nh), :c, NULL,
              (CAST(:dests AS text[]))[1 + (g % 10)], 'active', '2020-01-02', '2020-01-02', '2022-12-31', ''
            FROM generate_series(1, :n) g"""),
            {"a": app, "h": first_holder, "nh": holders, "c": consignee, "n": permits, "dests": DESTINATIONS},
        )
        c.execute(
            text("""
            INSERT INTO permit_lines (permit_id, line_no, application_line_id, product_id, item_code,
              description,
              quantity, unit, unit_value, currency)
            SELECT id, 1, :l, :p, '2-15', 'bench', 4, 'unit', 150000000, 'CAD' FROM permits"""),
            {"l": line, "p": product},
        )
        c.execute(
            text("""
            INSERT INTO permit_state_changes (permit_id, state, command, effective_date, recorded_at,
              principal,
              reason, legal_basis)
            SELECT id, 'active', 'issue', issued_on, now(), 'bench', 'issued', 'EIPA s.7(1)' FROM permits""")
        )
        c.execute(text("ANALYZE"))


CUSTOMS = Actor("customs.bench", Role.CUSTOMS)


def _unrelated_shipments(url: str, offset: int, stop: object, out: object = None) -> list[float]:
    """Shipments on GB permits (untouched by the act), one per commit: each one's seconds. With no
    ``stop``, 20 of them (the idle baseline); else until ``stop`` is set, the list put on ``out``."""
    system = ExportGuard.from_url(url, migrate=False)
    with system.read() as session:
        ids = list(session.scalars(select(Permit.id).where(Permit.destination_code == "GB").limit(2000)))
    took: list[float] = []
    n = 0
    while (stop is None and n < 20) or (stop is not None and not stop.is_set()):  # type: ignore[attr-defined]
        data = ShipmentInput(
            declaration_id=f"U-{offset}-{n}",
            permit_id=ids[(offset * 1000 + n) % len(ids)],
            shipped_on=date(2020, 10, 6),
            lines=[ShipmentLineInput(permit_line_no=1, quantity=1)],
        )
        t = time.perf_counter()
        with system.uow(CUSTOMS) as uow:
            record_shipment(uow, data)
        took.append(time.perf_counter() - t)
        n += 1
    system.engine.dispose()
    if out is not None:
        out.put(took)  # type: ignore[attr-defined]
    return took


def _ms(values: list[float], pct: int) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, len(ordered) * pct // 100)] * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--permits", type=int, default=1_000_000)
    args = parser.parse_args()
    url = os.environ.get("EXPORTGUARD_BENCH_DATABASE_URL")
    created = None
    if not url:
        created = f"eg_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(SERVER + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{created}"'))
        url = f"{SERVER}/{created}"
    try:
        run(url, args.permits)
    finally:
        if created:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'))
            admin.dispose()


def run(url: str, permits: int) -> None:
    clock = FixedClock(datetime(2020, 10, 5, 15, 0, tzinfo=UTC))
    system = ExportGuard.from_url(url, clock)
    with system.read() as session:
        sync_reference_data(session)
    started = time.perf_counter()
    generate(system, permits)
    print(f"generated {permits:,} permits in {time.perf_counter() - started:.1f} s")
    day = date(2020, 10, 5)
    with system.engine.connect() as c:
        tx = c.begin()
        t = time.perf_counter()
        n = c.execute(
            text("UPDATE permits SET state = 'suspended' WHERE destination_code = 'TR' AND state = 'active'")
        ).rowcount
        floor = time.perf_counter() - t
        tx.rollback()
    t = time.perf_counter()
    with system.read() as session:
        shown = preview(session, MINISTER, BulkCommand.SUSPEND, Scope(destination="TR"), day)
    preview_s = time.perf_counter() - t
    data = bulk_actions.BulkActInput(
        command=BulkCommand.SUSPEND,
        scope={"destination": "TR"},  # type: ignore[arg-type]
        reason="benchmark",
        effective_date=day,
        decision_ref="BENCH-1",
    )
    idle = _unrelated_shipments(url, 0, None)
    stop = multiprocessing.get_context("fork").Event()
    out = multiprocessing.get_context("fork").Queue()
    beside = multiprocessing.get_context("fork").Process(
        target=_unrelated_shipments, args=(url, 1, stop, out)
    )
    beside.start()
    t = time.perf_counter()
    with system.uow(MINISTER) as uow:
        result = bulk_actions.execute(uow, data)
    execute_s = time.perf_counter() - t
    stop.set()
    during = out.get()
    beside.join()
    with system.engine.connect() as c:
        events = c.execute(
            text("SELECT count(*) FROM audit_events WHERE command = 'suspend_permit'")
        ).scalar_one()
        suspended = c.execute(text("SELECT count(*) FROM permits WHERE state = 'suspended'")).scalar_one()
    print(
        f"rows: {n:,} selected by the plain UPDATE; preview {shown.permit_count:,} permits, "
        f"{len(shown.holders):,} holders, undelivered {shown.undelivered_quantity:,} units "
        f"({shown.undelivered_value.get('CAD', 0):,} CAD); executed {result.permit_count:,}: "
        f"{suspended:,} suspended, {events:,} audit events, {result.notices:,} notices"
    )
    print(f"{'plain SQL UPDATE (floor)':<28}{floor:8.2f} s")
    print(f"{'preview':<28}{preview_s:8.2f} s   goal < 10 s")
    print(f"{'execute (suspend)':<28}{execute_s:8.2f} s   goal < 10 s")
    print(
        "a shipment on an unrelated (GB) permit, one commit each: "
        f"idle p50 {_ms(idle, 50)} / max {_ms(idle, 100)}; during the act p50 {_ms(during, 50)} / "
        f"max {_ms(during, 100)} ({len(during)} recorded meanwhile)   goal: unchanged within noise"
    )
    system.engine.dispose()


if __name__ == "__main__":
    main()
