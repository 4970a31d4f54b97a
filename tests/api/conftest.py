"""API tests: FastAPI's TestClient on the ``eg`` fixture (both backends, rolled back after each test)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from exportguard.domain.access import Role
from exportguard.services.parties.registry import NewPrincipal, create_principal
from exportguard.services.system import ExportGuard
from exportguard.web.app import create_app
from tests.factories import World, party, world


@dataclass
class Api:
    """Calls the API as a named principal (``None``: no credentials, the public)."""

    client: TestClient
    tokens: dict[str, str]

    def call(self, method: str, path: str, who: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if who is not None:
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        return self.client.request(method, "/api" + path, headers=headers, **kwargs)

    def get(self, path: str, who: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.call("GET", path, who, **kwargs)

    def post(self, path: str, who: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.call("POST", path, who, **kwargs)

    def put(self, path: str, who: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.call("PUT", path, who, **kwargs)


@pytest.fixture
def w(eg: ExportGuard) -> World:
    return world(eg)


@pytest.fixture
def client(eg: ExportGuard) -> Iterator[TestClient]:
    with TestClient(create_app(eg)) as c:
        yield c


@pytest.fixture
def api(eg: ExportGuard, w: World, client: TestClient) -> Api:
    rival = party(eg, "Rival Optics", "CA")
    people = {
        "officer": (Role.OFFICER, None),
        "director": (Role.DIRECTOR, None),
        "minister": (Role.MINISTER, None),
        "advisor": (Role.ADVISOR, None),
        "auditor": (Role.AUDITOR, None),
        "customs": (Role.CUSTOMS, None),
        "exporter": (Role.EXPORTER, w.exporter_id),
        "rival": (Role.EXPORTER, rival),
    }
    tokens = {}
    with eg.read() as session:
        for name, (role, org) in people.items():
            data = NewPrincipal(username=name, display_name=name.title(), role=role, organisation_id=org)
            tokens[name] = create_principal(session, data, token=f"token-{name}")
    return Api(client, tokens)


def assert_problem(response: httpx.Response, status: int, *fields: str) -> dict[str, Any]:
    """An RFC 9457 problem with the given status that names (at least) each of ``fields``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "errors"} <= body.keys()
    assert body["status"] == status
    named = {e["field"] for e in body["errors"]}
    assert set(fields) <= named, f"{fields} not all in {named}"
    return body
