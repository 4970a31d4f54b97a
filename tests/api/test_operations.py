"""Health, readiness, request ids, and 503 then recovery while the database is away (issue 12)."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from exportguard.db.session import make_engine, make_session_factory
from exportguard.domain.access import Role
from exportguard.logs import JsonFormatter
from exportguard.services.accounts.principals import NewPrincipal, create_principal
from exportguard.services.system import ExportGuard
from exportguard.web.app import create_app
from tests.api.conftest import Api, assert_problem
from tests.unplug import unplug_proxy


def test_health_answers_without_the_database_and_ready_with_it(api: Api) -> None:
    health = api.client.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    ready = api.client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok"}


def test_each_request_gets_an_id_and_a_sane_one_given_is_kept(api: Api) -> None:
    given = api.client.get("/health", headers={"X-Request-ID": "lb-42.abc"})
    assert given.headers["X-Request-ID"] == "lb-42.abc"
    made = api.client.get("/health", headers={"X-Request-ID": "x" * 200 + "\n"})
    other = api.client.get("/health")
    assert len(made.headers["X-Request-ID"]) == 32
    assert made.headers["X-Request-ID"] != other.headers["X-Request-ID"]


def test_the_access_line_is_json_with_the_request_id(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="exportguard.access"):
        api.get("/permits", "officer", headers={"X-Request-ID": "req-7"})
    record = next(r for r in caplog.records if r.name == "exportguard.access")
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/api/permits"
    assert line["status"] == 200
    assert line["message"] == "GET /api/permits 200"
    assert line["request_id"] == "req-7"
    assert line["duration_ms"] > 0


def test_an_unreachable_database_is_503_with_retry_after_not_500(eg: ExportGuard) -> None:
    nowhere = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    system = ExportGuard(nowhere, make_session_factory(nowhere), eg.clock)
    with TestClient(create_app(system), raise_server_exceptions=False) as client:
        api = client.get("/api/permits", headers={"Authorization": "Bearer whatever"})
        assert_problem(api, 503)
        assert api.headers["Retry-After"] == "5"
        assert "nothing was changed" in api.json()["detail"]
        page = client.get("/measures")
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "5"
        assert "Database unavailable" in page.text
        assert client.get("/ready").status_code == 503
        assert client.get("/health").status_code == 200
    nowhere.dispose()


def test_database_stopped_then_started_503_then_recovery_without_restart(
    committed_eg: ExportGuard, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("an embedded SQLite file cannot be stopped")
    with committed_eg.read() as session:
        token = create_principal(
            session, NewPrincipal(username="auditor", display_name="A", role=Role.AUDITOR), token="t-aud"
        )
    url = make_url(committed_eg.engine.url)
    with unplug_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        engine = make_engine(url.set(port=proxy.port).render_as_string(hide_password=False))
        system = ExportGuard(engine, make_session_factory(engine), committed_eg.clock)
        auth = {"Authorization": f"Bearer {token}"}
        with TestClient(create_app(system), raise_server_exceptions=False) as client:
            assert client.get("/api/permits", headers=auth).status_code == 200
            proxy.unplug()  # the pooled connection is cut, new ones are refused
            for _ in range(3):
                down = client.get("/api/permits", headers=auth)
                assert down.status_code == 503, down.text
                assert down.headers["Retry-After"] == "5"
            assert client.get("/ready").status_code == 503
            proxy.plug()
            assert client.get("/ready").status_code == 200
            assert client.get("/api/permits", headers=auth).status_code == 200
        engine.dispose()
