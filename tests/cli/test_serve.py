"""exportguard serve, as a real server on a free port: no server banner (issue 10)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_sends_no_server_banner(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "EXPORTGUARD_DATABASE_URL": f"sqlite:///{tmp_path / 'eg.sqlite3'}"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "exportguard"), "serve", "--port", str(port), "--no-jobs"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        answer = None
        deadline = time.monotonic() + 90  # a busy two-core machine migrates and imports slowly
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        assert answer is not None, server.stderr.read().decode() if server.poll() is not None else "no answer"
        assert answer.status_code == 200
        assert "server" not in answer.headers, answer.headers
        assert "date" in answer.headers  # RFC 9110 s.6.6.1: kept
        page = httpx.get(f"http://127.0.0.1:{port}/login", timeout=10)
        assert "server" not in page.headers and "uvicorn" not in str(page.headers).lower()
    finally:
        server.terminate()
        server.wait(timeout=30)
