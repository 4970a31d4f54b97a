"""Every database test runs on SQLite and on PostgreSQL, each test in a rolled-back transaction.

PostgreSQL: ``EXPORTGUARD_TEST_DATABASE_URL`` makes it mandatory (CI); without it the local server
at 127.0.0.1:5432 is used when it answers, and skipped with a reason when it does not. Each test run
creates its own database on that server, so concurrent runs never meet.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from exportguard.adapters.clock import FixedClock
from exportguard.db.migrate import upgrade
from exportguard.db.session import make_engine, normalise_url
from exportguard.services.reference.control_list import sync_reference_data
from exportguard.services.system import ExportGuard

pytest_plugins = ["tests.coverage_floors"]

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _postgres_admin_url() -> tuple[str | None, str]:
    """The server to create test databases on, and why it is missing if it is."""
    url = os.environ.get("EXPORTGUARD_TEST_DATABASE_URL")
    if url:
        return normalise_url(url), ""
    try:
        engine = create_engine(DEFAULT_PG, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not available here"
        return None, f"PostgreSQL not reachable at 127.0.0.1:5432 ({type(exc).__name__})"
    return DEFAULT_PG, ""


@pytest.fixture(scope="session", autouse=True)
def _data_dir_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The run's own data directory: the audit log's checkpoints and signing key (kept per database
    under it by default) never meet another run's, nor the checkout's var/."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXPORTGUARD_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        yield


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", ["sqlite", "postgresql"], scope="session")


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    admin_url, why = _postgres_admin_url()
    if admin_url is None:
        pytest.skip(why)
    yield from _fresh_postgres_database(admin_url)


def _fresh_postgres_database(admin_url: str) -> Iterator[str]:
    name = f"eg_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    with sessionmaker(bind=engine)() as session:
        sync_reference_data(session)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    conn = engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2020, 4, 20, 14, 0, tzinfo=UTC))


@pytest.fixture
def eg(engine: Engine, connection: Connection, clock: FixedClock) -> ExportGuard:
    """The system on a test transaction: units of work commit to savepoints, all rolled back."""
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    return ExportGuard(engine, factory, clock)


@pytest.fixture
def committed_eg(database_url: str, clock: FixedClock) -> Iterator[ExportGuard]:
    """The system on a database of its own, for tests that need real commits (concurrency, CLI)."""
    if database_url.startswith("sqlite"):
        url = database_url.replace("test.sqlite3", f"own-{uuid.uuid4().hex[:8]}.sqlite3")
        system = ExportGuard.from_url(url, clock)  # migrates and loads the reference data
        yield system
        system.engine.dispose()
        return
    admin_url = make_url(database_url).set(database="postgres").render_as_string(hide_password=False)
    for url in _fresh_postgres_database(admin_url):
        system = ExportGuard.from_url(url, clock)
        yield system
        system.engine.dispose()


def shared_data(relative: str) -> Path:
    """A file of ../shared/data; skips (or fails in CI) when the shared folder is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        if os.environ.get("EXPORTGUARD_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(f"{path} is missing and EXPORTGUARD_REQUIRE_SHARED_DATA=1")
        pytest.skip(f"{path} is absent (../shared/data is not beside this checkout)")
    return path


@pytest.fixture(autouse=True)
def _own_checkpoints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test publishes the audit log's checkpoints to a file of its own: a test's transaction is
    rolled back, and a checkpoint it published outside the database must not outlive it."""
    monkeypatch.setenv("EXPORTGUARD_CHECKPOINT_FILE", str(tmp_path / "audit-checkpoints.jsonl"))
