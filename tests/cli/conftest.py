"""CLI tests run the real command against a database of their own, on both backends."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from exportguard.cli.main import app
from exportguard.demo.case import load_case_file
from exportguard.demo.loader import load_case
from exportguard.services.system import ExportGuard
from tests.conftest import _fresh_postgres_database

Invoke = Callable[..., Result]
# The demo's fixed API tokens (demo mode only), by username.
DEMO_TOKENS = {p.username: p.token for p in load_case_file().principals}


def url_of(system: ExportGuard) -> str:
    return system.engine.url.render_as_string(hide_password=False)


def _invoke_on(url: str, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    monkeypatch.setenv("EXPORTGUARD_DATABASE_URL", url)
    monkeypatch.delenv("EXPORTGUARD_AS", raising=False)
    monkeypatch.delenv("EXPORTGUARD_TOKEN", raising=False)
    # `exportguard login` keeps sessions in a file: the test's own, never the user's.
    monkeypatch.setenv("EXPORTGUARD_CREDENTIALS", str(Path(tempfile.mkdtemp()) / "credentials.json"))
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=stdin)

    return invoke


@pytest.fixture(scope="session")
def demo_url(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database with the demo loaded once per backend, for tests that only read it."""
    if database_url.startswith("sqlite"):
        urls: Iterator[str] = iter([f"sqlite:///{Path(tmp_path_factory.mktemp('demo')) / 'demo.sqlite3'}"])
    else:
        admin = make_url(database_url).set(database="postgres").render_as_string(hide_password=False)
        urls = _fresh_postgres_database(admin)
    for url in urls:
        system = ExportGuard.from_url(url)
        load_case(system)
        system.engine.dispose()
        yield url


@pytest.fixture
def cli(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """The CLI on the shared demo database (read-only tests and refused commands)."""
    return _invoke_on(demo_url, monkeypatch)


@pytest.fixture
def own_cli(committed_eg: ExportGuard, monkeypatch: pytest.MonkeyPatch) -> tuple[Invoke, ExportGuard]:
    """The CLI on a demo database of the test's own, which it may change."""
    load_case(committed_eg)
    return _invoke_on(url_of(committed_eg), monkeypatch), committed_eg


@pytest.fixture
def empty_url(committed_eg: ExportGuard, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, on the same server as ``committed_eg``."""
    url = make_url(committed_eg.engine.url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    yield from _fresh_postgres_database(url.set(database="postgres").render_as_string(hide_password=False))
