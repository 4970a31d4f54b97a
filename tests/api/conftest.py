"""API tests: FastAPI's TestClient on the ``eg`` fixture (both backends, rolled back after each test)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pyotp
import pytest
from fastapi.testclient import TestClient

from exportguard.domain.access import Role
from exportguard.domain.accounts import needs_second_factor
from exportguard.services.accounts import credentials
from exportguard.services.accounts.principals import NewPrincipal, create_principal
from exportguard.services.system import ExportGuard
from exportguard.web.app import create_app
from tests.factories import World, party, world


@dataclass
class Api:
    """Calls the API as a named principal (``None``: no credentials, the public)."""

    client: PageClient
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


PASSWORD = "a long test passphrase"


@functools.cache
def password_hash() -> str:
    """PASSWORD's argon2 hash, made once per run (argon2 is slow on purpose)."""
    return credentials.hash_password(PASSWORD)


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]*)"')


class PageClient(TestClient):
    """A TestClient that behaves as a browser on the pages: a form it posts carries the page's
    CSRF token (unless the test gives ``csrf_token`` itself), and it signs in as the pages do."""

    clock: Any = None
    totp_secrets: dict[str, str]
    last_steps: dict[str, int]

    def csrf_token(self) -> str:
        found = CSRF_FIELD.search(self.get("/login").text)
        return found.group(1) if found else ""

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> httpx.Response:  # type: ignore[override]
        path = str(url)
        if method.upper() == "POST" and not path.startswith(("/api", "http")):
            data = dict(kwargs.get("data") or {})
            if "csrf_token" not in data:
                data["csrf_token"] = self.csrf_token()
                kwargs["data"] = data
        return super().request(method, url, *args, **kwargs)

    def sign_in(
        self, who: str, password: str = PASSWORD, totp_secret: str | None = None, next_page: str = "/permits"
    ) -> httpx.Response:
        """Password, then (officials) the authenticator's code at the system's time."""
        response = self.post(
            "/login", data={"username": who, "password": password, "next": next_page}, follow_redirects=False
        )
        secret = totp_secret or self.totp_secrets.get(who)
        if response.status_code == 303 and response.headers["location"].startswith("/login/code") and secret:
            step = int(self.clock.now().timestamp()) // 30
            if self.last_steps.get(who, -1) >= step:
                self.clock.advance(seconds=30)  # a code is good once: the next sign-in needs the next one
            self.last_steps[who] = int(self.clock.now().timestamp()) // 30
            code = credentials.totp_now(secret, self.clock.now())
            response = self.post(
                "/login/code", data={"code": code, "next": next_page}, follow_redirects=False
            )
        return response


@pytest.fixture
def client(eg: ExportGuard) -> Iterator[PageClient]:
    with PageClient(create_app(eg)) as c:
        c.clock = eg.clock
        c.totp_secrets = {}
        c.last_steps = {}
        yield c


@pytest.fixture
def api(eg: ExportGuard, w: World, client: PageClient) -> Api:
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
            secret = pyotp.random_base32() if needs_second_factor(role) else None
            if secret:
                client.totp_secrets[name] = secret
            tokens[name] = create_principal(
                session, data, token=f"token-{name}", password_hash=password_hash(), totp_secret=secret
            )
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
