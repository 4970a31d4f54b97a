"""Every page type rendered on the demo's data, timed from a client as a browser would ask for it,
beside a static file served by the same server (the floor: routing, headers and the socket).

A scratch SQLite database gets the whole reference case (exportguard demo); uvicorn serves it in a
process of its own (one worker, on 127.0.0.1:PORT); one keep-alive client asks for each page
--requests times after --warm warm-ups, signed in as a role that may open it, and prints p50, p95
and max per page. Goal (issue 13): each page under 300 ms at p95 on 2 cores.

    ./run bench pages [--requests 20] [--warm 3] [--port 8145] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import select

from exportguard.db.models import Application, Permit
from exportguard.demo.loader import load_case
from exportguard.domain.verification import code_of
from exportguard.services.permits.documents import issue_event_hash
from exportguard.services.system import ExportGuard

HERE = Path(__file__).resolve().parent
GOAL_MS = 300.0
TOKENS = {
    "auditor": ("auditor.demo", "demo-auditor"),
    "officer": ("officer.tremblay", "demo-officer-tremblay"),
    "minister": ("minister.champagne", "demo-minister-champagne"),
    "exporter": ("exporter.wescam", "demo-exporter-wescam"),
    "customs": ("customs.cbsa", "demo-customs-cbsa"),
}


def page_types(system: ExportGuard) -> list[tuple[str, str | None, str]]:
    """(label, role or None for the public, path): one of each page the site renders."""
    with system.read() as session:
        permit = session.scalars(select(Permit).where(Permit.number == "EXP-2020-104512")).one()
        live = session.scalars(select(Permit.id).where(Permit.state == "active").order_by(Permit.id)).first()
        app_id = session.scalars(select(Application.id).order_by(Application.id)).first()
        code = code_of(issue_event_hash(session, permit.id) or "")
    p, a = permit.id, app_id
    return [
        ("register", "auditor", "/permits"),
        ("register, filtered", "auditor", "/permits?destination=TR&as_of=2020-10-06&status=suspended"),
        ("permit", "auditor", f"/permits/{p}"),
        ("permit as of a date", "auditor", f"/permits/{p}?as_of=2020-10-06"),
        ("permit PDF", "auditor", f"/permits/{p}/permit.pdf"),
        ("verification page (public)", None, f"/v/{p}/{code}"),
        ("act on a permit, preview", "minister", f"/permits/{live}/act?command=suspend"),
        ("application", "auditor", f"/applications/{a}"),
        ("decision letter PDF", "auditor", f"/applications/{a}/decision.pdf"),
        ("work queue", "officer", "/queue"),
        ("exporter portal", "exporter", "/portal"),
        ("audit log", "auditor", "/audit"),
        ("audit log, filtered", "auditor", f"/audit?subject_ref={permit.number}"),
        ("screening review", "officer", "/screening"),
        ("sanctions lists", "officer", "/lists"),
        ("list diff", "officer", "/lists/diff?from=1&to=2"),
        ("parties", "officer", "/parties"),
        ("products", "officer", "/products"),
        ("GEP 41", "officer", "/general-permits/41"),
        ("notices", "auditor", "/notices"),
        ("measures", None, "/measures?destination=TR"),
        ("determination", None, "/determination?items=2-15&destination=TR&on=2020-05-19"),
        ("ministerial act, preview", "minister", "/ministerial-acts?command=suspend&destination=GB"),
        ("border", "customs", "/border"),
        ("allegations", "officer", "/allegations"),
        ("public register", None, "/public"),
        ("API docs", None, "/docs"),
    ]  # fmt: skip


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "EXPORTGUARD_DATABASE_URL": url, "PYTHONPATH": str(HERE)}
    command = [sys.executable, "-m", "uvicorn", "--factory", "_pages_app:app", "--port", str(port)]
    server = subprocess.Popen([*command, "--log-level", "warning"], env=env, cwd=HERE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/site.css").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def timed(client: httpx.Client, path: str, requests: int, warm: int) -> tuple[list[float], int, float]:
    """The times of ``requests`` asks after ``warm`` ones, the last status, and the very first time
    (PDFs are rendered once per version and language, then served from memory: both are shown)."""
    status = 0
    first = float("nan")
    for n in range(warm):
        start = time.perf_counter()
        status = client.get(path).status_code
        if n == 0:
            first = (time.perf_counter() - start) * 1000
    took = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        took.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    return took, status, first


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def row(label: str, status: int, took: list[float], first: float) -> str:
    figures = f"{statistics.median(took):8.1f} {p95(took):8.1f} {max(took):8.1f} {first:9.1f}"
    return f"{label:<36} {status:>6} {figures}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--port", type=int, default=8145)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'pages.sqlite3'}"
        system = ExportGuard.from_url(url)
        started = time.perf_counter()
        load_case(system)
        print(
            f"demo loaded in {time.perf_counter() - started:.1f} s ({system.engine.url.get_backend_name()})"
        )
        pages = page_types(system)
        system.engine.dispose()
        server = serve(url, args.port)
        try:
            base = f"http://127.0.0.1:{args.port}"
            clients: dict[str | None, httpx.Client] = {}
            for role in {r for _, r, _ in pages}:
                client = httpx.Client(base_url=base, timeout=30)
                if role is not None:
                    user, token = TOKENS[role]
                    client.post("/login", data={"username": user, "token": token, "next": "/permits"})
                clients[role] = client
            floor, _, floor_first = timed(clients[None], "/static/site.css", args.requests, args.warm)
            heads = f"{'page':<36} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'first ms':>9}"
            print(f"{heads}  goal p95 < {GOAL_MS:.0f} ms")
            print(row("static file (baseline)", 200, floor, floor_first))
            over = []
            for label, role, path in pages:
                took, status, first = timed(clients[role], path, args.requests, args.warm)
                mark = "" if status == 200 and p95(took) < GOAL_MS else "  <-"
                if mark:
                    over.append(label)
                print(row(label, status, took, first) + mark)
            under = len(pages) - len(over)
            print(f"{under} of {len(pages)} page types under {GOAL_MS:.0f} ms at p95 with status 200")
            for client in clients.values():
                client.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
