"""The border: authorisation checks, drawdowns and a declaration file, on the reference case.

    ./run bench border_checks [--only inprocess,register,http,saturation,drawdowns,file] [--seconds 8]
        [--register-permits 1000000]
        [--http-rate 200] [--clients 100] [--file-lines 1000000] [--draw-clients 8]
        [--feed-size 100]

On a scratch PostgreSQL database (127.0.0.1:5432, created and dropped by the run) loaded with the
2019-2021 Turkey case, each part prints its figures beside a baseline measured in the same run:
- in process: checks answered from the in-memory permit read model (1 and 2 processes, with the
  checks recorded in batches) beside the same checks answered from the database;  goal 20,000/s;
- a register of ``--register-permits`` more permits (copies of one, inserted by SQL): checks from
  the read model on permits asked about for the first time and again, beside the database;
- over HTTP: POST /api/authorisations/check from 100 concurrent keep-alive clients at a fixed rate
  (uvicorn, 2 workers, loopback), beside a static file at the same rate;  goal p99 < 25 ms, no errors;
- at saturation: wrk (a load generator outside the servers' interpreters) at full speed on the check
  and on a bare FastAPI endpoint with a pydantic body, 2 uvicorn workers each;  goal: at least
  half the bare rate;
- drawdowns: shipments recorded per second by concurrent client processes, one per transaction
  (``record_shipment``) and as a customs feed of ``--feed-size`` declarations per transaction
  (``record_batch``), all on one permit line (they queue on its balance) and then each client on
  a permit of its own (as pgbench's clients update rows of their own), beside pgbench's
  simple-update rate (``pgbench -N``) with as many clients on a scratch database of its own (the
  floor to approach);
- a declaration file of 1,000,000 lines checked by ``exportguard shipments check``, beside reading
  and writing the same file with the csv module;  goal under 60 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _saturation
from _border_setup import ROOT, load_reference_case, scratch_database
from _http_load import http_request, run_load
from sqlalchemy import select, text

from exportguard.db.models import Permit
from exportguard.domain.access import Actor, Role
from exportguard.services.border import customs_feed as shipment_batches
from exportguard.services.border import shipments
from exportguard.services.border.authorisations import (
    CheckInput,
    answer_from_database,
    answer_from_model,
    check_row,
    record_checks,
)
from exportguard.services.border.circumstances import Circumstances, circumstances_of
from exportguard.services.border.read_model import PermitReadModel, load_snapshot
from exportguard.services.system import ExportGuard

CUSTOMS = Actor("customs.cbsa", Role.CUSTOMS)
BIN = Path(sys.executable).parent


def questions(system: ExportGuard, count: int, seed: int = 7) -> list[dict[str, object]]:
    """Questions about the case's permits on dates from 2019 to 2021: some authorised, most not."""
    with system.read() as session:
        numbers = sorted(set(session.scalars(select(Permit.number))))
    chooser = random.Random(seed)
    start = date(2019, 6, 1)
    out: list[dict[str, object]] = []
    for _ in range(count):
        out.append(
            {
                "permit": chooser.choice(numbers),
                "shipped_on": (start + timedelta(days=chooser.randrange(900))).isoformat(),
                "destination": chooser.choice(["TR", "TR", "TR", "GB", "AZ"]),
                "consignee": chooser.choice(["Baykar", "Turkish Ministry of National Defence", ""]) or None,
                "lines": [{"line_no": 1, "quantity": chooser.choice([1, 1, 2, 50])}],
            }
        )
    return out


def around(system: ExportGuard, presented: list[str]) -> Circumstances:
    """The measures and diversion flags of the permits asked about, read once (as a file's check does)."""
    with system.read() as session:
        return circumstances_of(session, CUSTOMS, load_snapshot(session, presented).by_id.values())


def _rate(label: str, count: int, seconds: float, note: str = "") -> float:
    rate = count / seconds
    print(f"  {label:<58} {rate:10,.0f} /s {note}", flush=True)
    return rate


def _loop(seconds: float, step: object) -> int:
    n, stop = 0, time.perf_counter() + seconds
    while time.perf_counter() < stop:
        for _ in range(200):
            step(n)  # type: ignore[operator]
            n += 1
    return n


def _checks_with_recording(url: str, asked: list[dict[str, object]], seconds: float, out: object) -> None:
    """One process: validate, answer from the read model, record in batches of 1,000."""
    system = ExportGuard.from_url(url, migrate=False)
    model = PermitReadModel(system)
    inputs = [CheckInput.model_validate(q) for q in asked]
    known = around(system, [q.permit for q in inputs])
    rows: list[dict[str, object]] = []

    def step(n: int) -> None:
        data = CheckInput.model_validate(asked[n % len(asked)]) if n % 2 else inputs[n % len(inputs)]
        rows.append(check_row(CUSTOMS, system.clock.now(), answer_from_model(model, CUSTOMS, data, known)))
        if len(rows) >= 1000:
            with system.uow(CUSTOMS) as uow:
                record_checks(uow.session, rows)
                uow.commit()
            rows.clear()

    count = _loop(seconds, step)
    system.engine.dispose()
    out.put(count)  # type: ignore[attr-defined]


def in_process(system: ExportGuard, url: str, seconds: float) -> None:
    print("in process: 'is this export authorised?' (goal 20,000/s on 2 cores)", flush=True)
    asked = questions(system, 2000)
    inputs = [CheckInput.model_validate(q) for q in asked]
    with system.read() as session:
        base = _loop(seconds / 2, lambda n: answer_from_database(session, CUSTOMS, inputs[n % len(inputs)]))
    baseline = _rate("baseline: answered from the database (1 process)", base, seconds / 2)
    model = PermitReadModel(system)
    known = around(system, [q.permit for q in inputs])
    refused = sum(not answer_from_model(model, CUSTOMS, q, known).verdict.authorised for q in inputs)
    fast = _loop(seconds, lambda n: answer_from_model(model, CUSTOMS, inputs[n % len(inputs)], known))
    _rate("answered from the read model (1 process)", fast, seconds, f"x{fast / seconds / baseline:,.0f}")
    ctx = multiprocessing.get_context("fork")  # children open their own engine
    for processes in (1, 2):
        queue = ctx.Queue()
        workers = [
            ctx.Process(target=_checks_with_recording, args=(url, asked, seconds, queue))
            for _ in range(processes)
        ]
        for w in workers:
            w.start()
        total = sum(queue.get() for _ in workers)
        for w in workers:
            w.join()
        _rate(f"validated + answered + recorded in batches ({processes} process)", total, seconds)
    print(f"  ({refused} of {len(inputs)} distinct questions are refused, with their reasons)", flush=True)


def _synthetic_register(system: ExportGuard, template: int, count: int) -> list[str]:
    """``count`` more permits in the register, each a copy of permit ``template`` (its lines and
    history) under a number of its own, inserted by SQL; returns their numbers."""
    with system.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO permits (number, version, application_id, holder_id, consignee_id, "
                "end_user_id, destination_code, state, issued_on, valid_from, valid_to, conditions) "
                "SELECT 'SYN-' || g, 1, application_id, holder_id, consignee_id, end_user_id, "
                "destination_code, state, issued_on, valid_from, valid_to, conditions "
                "FROM permits, generate_series(1, :n) g WHERE id = :t"
            ),
            {"n": count, "t": template},
        )
        for table, columns in (
            ("permit_lines", "line_no, application_line_id, product_id, item_code, description, "
             "quantity, unit, unit_value, currency"),
            ("permit_state_changes", "state, command, effective_date, recorded_at, principal, reason, "
             "legal_basis"),
        ):  # fmt: skip
            picked = ", ".join(f"x.{c.strip()}" for c in columns.split(","))
            conn.execute(
                text(
                    f"INSERT INTO {table} (permit_id, {columns}) SELECT p.id, {picked} "
                    f"FROM permits p JOIN {table} x ON x.permit_id = :t WHERE p.number LIKE 'SYN-%'"
                ),
                {"t": template},
            )
        conn.execute(text("ANALYZE"))
    return [f"SYN-{n}" for n in range(1, count + 1)]


def large_register(system: ExportGuard, template: int, count: int, seconds: float) -> None:
    """Checks with ``count`` permits in the register: before this issue, more than 65,535 made every
    check fail (the read model loaded them all with one IN list)."""
    print(f"register of {count:,} more permits: checks from the read model, filled on demand", flush=True)
    started = time.perf_counter()
    numbers = _synthetic_register(system, template, count)
    print(f"  {count:,} permits inserted in {time.perf_counter() - started:.1f} s", flush=True)
    chooser = random.Random(5)
    ask = [
        CheckInput.model_validate(
            {"permit": chooser.choice(numbers), "shipped_on": "2020-06-18", "destination": "TR",
             "lines": [{"line_no": 1, "quantity": 1}]}
        )
        for _ in range(20_000)
    ]  # fmt: skip
    with system.read() as session:
        base = _loop(seconds / 2, lambda n: answer_from_database(session, CUSTOMS, ask[n % len(ask)]))
    baseline = _rate("baseline: answered from the database (1 process)", base, seconds / 2)
    model = PermitReadModel(system)
    known = around(system, [q.permit for q in ask[:2000]])
    started = time.perf_counter()
    cold = sum(answer_from_model(model, CUSTOMS, q, known).verdict.authorised for q in ask[:2000])
    took = time.perf_counter() - started
    _rate("read model, first question about each permit (cold)", 2000, took, f"{cold} authorised")
    hot = _loop(seconds, lambda n: answer_from_model(model, CUSTOMS, ask[n % 2000], known))
    _rate("read model, 2,000 permits asked again (warm)", hot, seconds, f"x{hot / seconds / baseline:,.0f}")
    print(f"  permits held in memory: {model.size:,} of {count:,}", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def over_http(system: ExportGuard, url: str, seconds: float, rate: float, clients: int) -> None:
    print(
        f"over HTTP: {clients} clients, {rate:,.0f} requests/s in all (goal p99 < 25 ms, no errors)",
        flush=True,
    )
    port = _free_port()
    env = {**os.environ, "EXPORTGUARD_DATABASE_URL": url}
    command = [sys.executable, "-m", "uvicorn", "--factory", "_border_app:app"]
    command += ["--app-dir", str(Path(__file__).parent), "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "2", "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, env=env)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/static/site.css", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        auth = {"Authorization": "Bearer demo-customs-cbsa"}
        checks = [
            http_request("POST", "/api/authorisations/check", json.dumps(q).encode(), auth)
            for q in questions(system, 500, seed=11)
        ]
        static = [http_request("GET", "/static/site.css")]
        base = run_load("127.0.0.1", port, static, clients=clients, rate=rate, seconds=seconds)
        print("  " + base.line("baseline: GET /static/site.css"), flush=True)
        result = run_load("127.0.0.1", port, checks, clients=clients, rate=rate, seconds=seconds)
        print("  " + result.line("POST /api/authorisations/check"), flush=True)
        if result.errors:
            print(f"  statuses: {result.statuses}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _serve(app: str, url: str, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {**os.environ, "EXPORTGUARD_DATABASE_URL": url}
    command = [sys.executable, "-m", "uvicorn", "--factory", app, "--app-dir", str(Path(__file__).parent)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    command += ["--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, env=env)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/docs-not-there", timeout=1)
        except urllib.error.HTTPError:
            break  # it answers (404)
        except OSError:
            time.sleep(0.2)
    return server, port


def at_saturation(system: ExportGuard, url: str, seconds: float, workers: int = 2) -> None:
    """wrk (outside the servers' interpreters) at full speed on the check and on a bare FastAPI
    endpoint with a pydantic body, the same workers each."""
    if not _saturation.wrk_available():
        print("at saturation: skipped (wrk is not installed: apt-get install wrk)", flush=True)
        return
    print(f"at saturation: wrk, 2 threads, 50 connections, {workers} uvicorn workers each", flush=True)
    bodies = [json.dumps(q) for q in questions(system, 500, seed=13)]
    for label, app in (("baseline: bare FastAPI endpoint, pydantic body", "_bare_app:app"),
                       ("POST /api/authorisations/check (ExportGuard)", "_border_app:app")):  # fmt: skip
        server, port = _serve(app, url, workers)
        try:
            _saturation.saturate(port, bodies, 2, 50)  # warm each worker's read model and pools
            rate, p99, bad = _saturation.saturate(port, bodies, int(seconds), 50)
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(f"  {label:<58} {rate:10,.0f} /s  p99 {p99}, {bad} non-2xx", flush=True)


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def pgbench_rate(clients: int, seconds: float) -> float:
    with scratch_database() as url:
        subprocess.run(["pgbench", "-i", "-q", "-s", "1", _libpq(url)], check=True, capture_output=True)
        done = subprocess.run(
            ["pgbench", "-N", "-n", "-c", str(clients), "-j", "2", "-T", str(int(seconds)), _libpq(url)],
            check=True,
            capture_output=True,
            text=True,
        )
    found = re.search(r"tps = ([\d.]+)", done.stdout)
    return float(found.group(1)) if found else float("nan")


def drawdowns(
    system: ExportGuard, url: str, permits: list[int], seconds: float, clients: int, batch: int
) -> None:
    """Drawdowns on one permit line (all clients queue on its balance), then on a permit each."""
    print(f"drawdowns on PostgreSQL: up to {clients} client processes recording shipments", flush=True)
    floor = pgbench_rate(clients, seconds)
    print(f"  {'baseline: pgbench -N (simple update), same clients':<58} {floor:10,.0f} /s", flush=True)
    one_line = [(n, 1, False) for n in (1, clients)] + [(n, batch, False) for n in sorted({1, 2, clients})]
    own_permit = [(n, batch, True) for n in sorted({2, clients})]
    for n_clients, size, own in one_line + own_permit:
        where = "a permit each" if own else "one line"
        done, refused = _draw_for(url, permits if own else permits[:1], seconds, n_clients, size)
        label = (
            f"record_shipment, {n_clients} client(s), {where}"
            if size == 1
            else f"customs feed, {n_clients} client(s), {size}/commit, {where}"
        )
        rate = _rate(label, done, seconds)
        print(f"  {'':<58} {rate / floor:10.0%} of pgbench; {refused} refused", flush=True)


def _draw_client(url: str, permit_id: int, seconds: float, tag: str, size: int, out: object) -> None:
    """One client process (its own engine and interpreter): one-unit shipments for ``seconds``,
    one per transaction (``size`` 1: record_shipment) or ``size`` per feed (record_batch)."""
    system = ExportGuard.from_url(url, migrate=False)
    done = refused = n = 0
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        feed = [
            shipments.ShipmentInput(
                declaration_id=f"B-{tag}-{n + k}",
                permit_id=permit_id,
                shipped_on=date(2020, 6, 18),
                lines=[shipments.ShipmentLineInput(permit_line_no=1, quantity=1)],
            )
            for k in range(size)
        ]
        n += size
        try:
            with system.uow(CUSTOMS) as uow:
                if size == 1:
                    shipments.record_shipment(uow, feed[0])
                    done += 1
                else:
                    result = shipment_batches.record_batch(uow, shipment_batches.BatchInput(shipments=feed))
                    done += result.recorded
                    refused += size - result.recorded
        except Exception:  # noqa: BLE001 - counted, then the figures say so
            refused += size
    system.engine.dispose()
    out.put((done, refused))  # type: ignore[attr-defined]


def _draw_for(url: str, permits: list[int], seconds: float, clients: int, size: int) -> tuple[int, int]:
    """``clients`` processes recording one-unit shipments for ``seconds``: (recorded, refused).

    Client ``i`` draws on ``permits[i % len(permits)]``.

    Processes, not threads: threads would share one interpreter lock and measure it, not the database.
    """
    ctx = multiprocessing.get_context("fork")  # children open their own engine
    out = ctx.Queue()
    workers = [
        ctx.Process(
            target=_draw_client,
            args=(
                url,
                permits[i % len(permits)],
                seconds,
                f"{clients}-{size}-{len(permits)}-{i}",
                size,
                out,
            ),
        )
        for i in range(clients)
    ]
    for w in workers:
        w.start()
    results = [out.get() for _ in workers]
    for w in workers:
        w.join()
    return sum(d for d, _ in results), sum(r for _, r in results)


def declaration_file(system: ExportGuard, url: str, lines: int) -> None:
    print(f"declaration file: {lines:,} lines (goal under 60 s)", flush=True)
    asked = questions(system, 5000, seed=3)
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "declarations.csv", Path(tmp) / "verdicts.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["declaration_id", "shipped_on", "permit", "line_no", "quantity", "destination", "consignee"]
            )
            for n in range(lines):
                q = asked[n % len(asked)]
                bad = n % 997 == 0  # about 0.1% unreadable lines
                writer.writerow(
                    [f"D{n}", "2020-13-40" if bad else q["shipped_on"], q["permit"], 1,
                     q["lines"][0]["quantity"], q["destination"], q["consignee"] or ""]  # type: ignore[index]
                )  # fmt: skip
        started = time.perf_counter()
        with path.open(newline="") as source, out.open("w", newline="") as sink:
            writer = csv.writer(sink)
            for row in csv.reader(source):
                writer.writerow(row)
        baseline = time.perf_counter() - started
        print(
            f"  {'baseline: read and write the file with the csv module':<58} {baseline:9.1f} s", flush=True
        )
        started = time.perf_counter()
        done = subprocess.run(
            [
                str(BIN / "exportguard"),
                "--token",
                "demo-customs-cbsa",
                "shipments",
                "check",
                str(path),
                "-o",
                str(out),
            ],
            env={**os.environ, "EXPORTGUARD_DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=False,
        )
        took = time.perf_counter() - started
        verdicts = sum(1 for _ in out.open()) - 1
        print(
            f"  {'exportguard shipments check (whole command)':<58} {took:9.1f} s  x{took / baseline:.1f}",
            flush=True,
        )
        print(f"  {verdicts:,} verdicts written; {done.stderr.strip().splitlines()[-1][:120]}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default="inprocess,register,http,saturation,drawdowns,file")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--http-rate", type=float, default=200.0)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--draw-clients", type=int, default=8)
    parser.add_argument("--feed-size", type=int, default=100)
    parser.add_argument("--file-lines", type=int, default=1_000_000)
    parser.add_argument("--register-permits", type=int, default=1_000_000)
    args = parser.parse_args()
    parts = set(args.only.split(","))
    print(f"cores: {os.cpu_count()}; project: {ROOT}", flush=True)
    with scratch_database() as url:
        system = ExportGuard.from_url(url)
        started = time.perf_counter()
        permits = load_reference_case(system, permits=args.draw_clients)
        print(f"reference case loaded in {time.perf_counter() - started:.1f} s", flush=True)
        if "inprocess" in parts:
            in_process(system, url, args.seconds)
        if "register" in parts:
            large_register(system, permits[0], args.register_permits, args.seconds)
        if "http" in parts:
            over_http(system, url, args.seconds, args.http_rate, args.clients)
        if "saturation" in parts:
            at_saturation(system, url, args.seconds)
        if "drawdowns" in parts:
            drawdowns(system, url, permits, args.seconds, args.draw_clients, args.feed_size)
        if "file" in parts:
            declaration_file(system, url, args.file_lines)
        system.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
