"""Issue 11: bodies are limited per endpoint, credentials are checked before a body is read, NUL
bytes never reach a query, and anonymous clients have a public allowance."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from fastapi import Depends
from fastapi.testclient import TestClient

from exportguard.services.system import ExportGuard
from exportguard.web.app import create_app
from exportguard.web.rate_limits import rate_limited
from exportguard.web.request_limits import DEFAULT_BODY_LIMIT
from tests.api.conftest import Api, assert_problem


def _asgi_post(app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """POST straight to the ASGI app; (status, how many times the app asked for the body)."""
    asked = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal asked
        asked += 1
        return {"type": "http.request", "body": b"x" * 65536, "more_body": asked < 160}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("198.51.100.7", 5000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    return sent[0]["status"], asked


def test_anonymous_policy_file_refused_before_its_body_is_read(eg: ExportGuard) -> None:
    app = create_app(eg)
    yaml = [(b"content-type", b"application/yaml")]
    status, asked = _asgi_post(app, "/api/policy-files/apply", yaml)
    assert (status, asked) == (401, 0)
    # An unknown token is as anonymous: refused unread, not after parsing 10 MB.
    status, asked = _asgi_post(app, "/api/lists/import", [*yaml, (b"authorization", b"Bearer forged")])
    assert (status, asked) == (401, 0)


def test_declared_length_over_the_endpoint_limit_is_refused_unread(api: Api) -> None:
    too_big = str(DEFAULT_BODY_LIMIT + 1)
    r = api.post("/parties", "officer", headers={"content-length": too_big}, content=b"{}")
    assert_problem(r, 413)
    assert str(DEFAULT_BODY_LIMIT) in r.json()["detail"]


def test_chunked_body_over_the_limit_is_refused(api: Api) -> None:  # no length declared
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(20):
            yield b"A" * 65536
        yield b'"}'

    r = api.post("/parties", "officer", content=chunks(), headers={"content-type": "application/json"})
    assert_problem(r, 413)


def test_public_determination_takes_a_small_body_only(api: Api) -> None:
    body = {"destination": "TR", "items": ["2-15"] * 20_000}
    assert_problem(api.post("/determinations", json=body), 413)
    assert api.post("/determinations", json={"destination": "TR", "items": ["2-15"]}).status_code == 200


def test_nul_in_query_or_path_is_a_bad_request(api: Api) -> None:
    assert_problem(api.get("/measures?destination=T%00R"), 400)
    assert_problem(api.get("/measures/A%00B"), 400)


def test_public_allowance_per_client(eg: ExportGuard, api: Api) -> None:
    with TestClient(create_app(eg, public_rate="3/minute")) as client:
        answers = [client.get("/api/measures").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        refused = client.get("/api/measures")
        assert refused.headers["retry-after"].isdigit()
        assert refused.json()["title"] == "Too many requests"
        # A signed-in principal is not counted against the public allowance.
        mine = client.get("/api/measures", headers={"Authorization": f"Bearer {api.tokens['officer']}"})
        assert mine.status_code == 200


def test_an_endpoint_adds_its_own_allowance(eg: ExportGuard) -> None:
    app = create_app(eg)

    @app.post("/form-for-test", dependencies=[Depends(rate_limited("test-form", "2/hour"))])
    def form() -> dict[str, str]:
        return {"ok": "yes"}

    app.router.routes[-1].openapi_extra = {"x-public": True}  # type: ignore[attr-defined]
    with TestClient(app) as client:
        answers = [client.post("/form-for-test").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
