"""The hostile-input report (issue 11): how many requests were sent, how many server errors came
back (goal: 0), and the server's resident memory after the exhaustion cases.

1. schemathesis against the ASGI app, every operation, valid and invalid requests, as every role and
   as the public, on SQLite and on PostgreSQL (when 127.0.0.1:5432 answers);
2. the hand-made corpus (tests/hostile/corpus.py), each case listed with the answer it got;
3. exhaustion against a real server (uvicorn on 127.0.0.1:8120): anonymous and oversized bodies,
   chunked floods, a flood of anonymous requests; resident memory before and after.

    ./run bench hostile_input [--examples N] [--skip-server]

The baseline, measured in the same run, is the server's resident memory after loading the demo and
answering one request (STYLE 12: figures beside a baseline, never asserted).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.factories import world  # noqa: E402
from tests.hostile.corpus import HTTP_CASES, LIST_FILES  # noqa: E402
from tests.hostile.fuzz import fuzz  # noqa: E402

from exportguard.adapters.clock import FixedClock  # noqa: E402
from exportguard.domain.access import Role  # noqa: E402
from exportguard.services.parties.registry import NewPrincipal, create_principal  # noqa: E402
from exportguard.services.system import ExportGuard  # noqa: E402
from exportguard.web.app import create_app  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PORT = 8120
ROLES = {
    "officer": Role.OFFICER,
    "director": Role.DIRECTOR,
    "minister": Role.MINISTER,
    "advisor": Role.ADVISOR,
    "auditor": Role.AUDITOR,
    "customs": Role.CUSTOMS,
    "exporter": Role.EXPORTER,
}


def databases() -> Iterator[tuple[str, str]]:
    """(backend, url) for SQLite and, when it answers, PostgreSQL; each dropped after use."""
    with tempfile.TemporaryDirectory() as tmp:
        yield "sqlite", f"sqlite:///{tmp}/hostile.sqlite3"
    try:
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 2})
        name = f"eg_hostile_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure: PostgreSQL is not here
        print(f"  PostgreSQL skipped: {type(exc).__name__}")
        return
    try:
        yield "postgresql", f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def principals(system: ExportGuard, exporter_id: int) -> dict[str, str]:
    tokens = {}
    with system.read() as session:
        for name, role in ROLES.items():
            org = exporter_id if role is Role.EXPORTER else None
            data = NewPrincipal(username=f"h-{name}", display_name=name, role=role, organisation_id=org)
            tokens[name] = create_principal(session, data, token=f"hostile-{name}")
    return tokens


def corpus(client: TestClient, tokens: dict[str, str], w: object) -> tuple[int, int]:
    """Send every hand-made case; print each with its answer. (requests, server errors)."""
    errors = 0
    for case in HTTP_CASES:
        headers = dict(case.headers)
        if case.who is not None:
            headers["Authorization"] = f"Bearer {tokens[case.who]}"
        kwargs: dict[str, object] = {"headers": headers}
        if case.body is not None:
            kwargs["json"] = case.body(w)
        if case.content is not None:
            kwargs["content"] = case.content
        status = client.request(case.method, case.path, **kwargs).status_code  # type: ignore[arg-type]
        errors += status >= 500
        mark = "ok" if status == case.expected else f"expected {case.expected}"
        print(f"    {status}  {case.name:<45} {mark}")
    director = {"Authorization": f"Bearer {tokens['director']}"}
    for lc in LIST_FILES:
        files = [("file", (name, data, "application/octet-stream")) for name, data in lc.files.items()]
        r = client.post("/api/lists/import", data={"source": lc.source}, files=files, headers=director)
        errors += r.status_code >= 500
        named = [e["field"] for e in r.json().get("errors", [])] if r.status_code >= 400 else []
        where = lc.refused_at if lc.refused_at in named else (named[0] if named else "")
        print(f"    {r.status_code}  list: {lc.name:<39} {where}")
    return len(HTTP_CASES) + len(LIST_FILES), errors


def in_process(examples: int) -> tuple[int, int]:
    sent = errors = 0
    for backend, url in databases():
        system = ExportGuard.from_url(url, FixedClock(datetime(2020, 6, 1, 12, tzinfo=UTC)))
        w = world(system)
        tokens = principals(system, w.exporter_id)
        app = create_app(system, public_rate="1000000/minute")
        started = time.perf_counter()
        identities = [{}, *({"Authorization": f"Bearer {t}"} for t in tokens.values())]
        report = fuzz(app, identities, max_examples=examples)
        took = time.perf_counter() - started
        print(f"  {backend}: schemathesis, {report.operations} operations x {examples} positive + negative")
        print(f"    requests {report.requests}, server errors {len(report.server_errors)}, {took:.0f} s")
        print(f"    statuses {dict(sorted(report.statuses.items()))}")
        for line in sorted(set(report.server_errors))[:20]:
            print(f"    5xx: {line}")
        with TestClient(app) as client:
            print(f"  {backend}: hand-made corpus")
            n, e = corpus(client, tokens, w)
        sent += report.requests + n
        errors += len(report.server_errors) + e
        system.engine.dispose()
    return sent, errors


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _stream(total: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    block = b"x" * chunk
    for _ in range(total // chunk):
        yield block


def _send(client: httpx.Client, method: str, path: str, **kwargs: object) -> str:
    started = time.perf_counter()
    try:
        status = str(client.request(method, path, **kwargs).status_code)  # type: ignore[arg-type]
    except httpx.HTTPError as exc:  # the server answered and closed while the body was still sent
        status = f"closed ({type(exc).__name__})"
    return f"{status:<24} {time.perf_counter() - started:6.2f} s"


def exhaustion() -> tuple[int, int]:
    """A real server: memory after loading, then after the floods. (requests, server errors)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/server.sqlite3"
        system = ExportGuard.from_url(url)
        tokens = principals(system, world(system).exporter_id)
        system.engine.dispose()
        env = {**os.environ, "EXPORTGUARD_DATABASE_URL": url}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "benchmarks._hostile_app:app",
                "--port",
                str(PORT),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(Path(tmp) / "server.log").open("w"),
        )
        statuses: Counter[str] = Counter()
        try:
            base = f"http://127.0.0.1:{PORT}"
            with httpx.Client(base_url=base, timeout=120) as client:
                for _ in range(600):  # the machine may be busy: up to two minutes to start
                    if server.poll() is not None:
                        raise RuntimeError(f"the server stopped (exit {server.returncode})")
                    try:
                        client.get("/api/measures")
                        break
                    except httpx.HTTPError:
                        time.sleep(0.2)
                baseline = rss_kib(server.pid)
                officer = {"Authorization": f"Bearer {tokens['officer']}"}
                yaml = {"content-type": "application/yaml"}
                cases = [
                    (
                        "anonymous 10 MB YAML policy file",
                        "POST",
                        "/api/policy-files/apply",
                        {"content": b"a: b\n" * 2_000_000, "headers": yaml},
                    ),
                    *[
                        (
                            f"anonymous 200 MB post #{n}",
                            "POST",
                            "/api/policy-files/apply",
                            {"content": _stream(200 << 20), "headers": yaml},
                        )
                        for n in range(1, 5)
                    ],
                    (
                        "forged token, 200 MB list upload",
                        "POST",
                        "/api/lists/import",
                        {
                            "content": _stream(200 << 20),
                            "headers": {
                                "Authorization": "Bearer forged",
                                "content-type": "multipart/form-data; boundary=x",
                            },
                        },
                    ),
                    (
                        "officer, 200 MB declared JSON",
                        "POST",
                        "/api/parties",
                        {
                            "content": b"x" * (200 << 20),
                            "headers": {**officer, "content-type": "application/json"},
                        },
                    ),
                    (
                        "officer, 200 MB chunked JSON",
                        "POST",
                        "/api/parties",
                        {
                            "content": _stream(200 << 20),
                            "headers": {**officer, "content-type": "application/json"},
                        },
                    ),
                    (
                        "officer, application of 100,000 lines",
                        "POST",
                        "/api/applications",
                        {
                            "content": b'{"destination":"TR","lines":['
                            + b'{"line_no":1},' * 100_000
                            + b'{"line_no":1}]}',
                            "headers": {**officer, "content-type": "application/json"},
                        },
                    ),
                ]
                for name, method, path, kwargs in cases:
                    answer = _send(client, method, path, **kwargs)
                    statuses[answer.split()[0]] += 1
                    print(f"    {answer}  {name}")
                flood = Counter(client.get("/api/measures").status_code for _ in range(400))
                print(f"    anonymous GET flood of 400: {dict(flood)}")
                statuses.update(str(k) for k in flood.elements())
                after = rss_kib(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    mib = (baseline / 1024, after / 1024)
    print(f"  resident memory: baseline {mib[0]:.0f} MiB, after the exhaustion cases {mib[1]:.0f} MiB")
    errors = sum(n for s, n in statuses.items() if s.isdigit() and int(s) >= 500)
    return sum(statuses.values()), errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=25, help="examples per operation and mode")
    parser.add_argument("--skip-server", action="store_true", help="no real server (exhaustion cases)")
    args = parser.parse_args()
    print("hostile-input report (issue 11)")
    sent, errors = in_process(args.examples)
    if not args.skip_server:
        print(f"  exhaustion, against uvicorn on 127.0.0.1:{PORT}")
        s, e = exhaustion()
        sent, errors = sent + s, errors + e
    print(f"TOTAL requests sent {sent}, server errors {errors} (goal 0)")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
