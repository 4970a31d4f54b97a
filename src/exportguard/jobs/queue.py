"""The job queue: procrastinate on PostgreSQL (schema ``procrastinate``), in memory with SQLite."""

from __future__ import annotations

from importlib import resources

import procrastinate
from procrastinate.testing import InMemoryConnector
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

SCHEMA = "procrastinate"
# Any constant: serialises two processes creating the queue's schema at once.
_SCHEMA_LOCK = 0x6567_6A6F_6273


def libpq_url(engine: Engine) -> str:
    """The engine's URL as libpq reads it (no SQLAlchemy driver suffix)."""
    return make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)


def connector_for(engine: Engine) -> procrastinate.BaseConnector:
    """PostgreSQL: a pool of its own on the same database, its tables in their own schema (so the
    project's migrations and ``alembic check`` never see them). SQLite: the in-memory queue."""
    if engine.dialect.name != "postgresql":
        return InMemoryConnector()
    return procrastinate.PsycopgConnector(
        conninfo=libpq_url(engine),
        kwargs={"options": f"-c search_path={SCHEMA}"},
        min_size=1,
        max_size=4,
    )


def ensure_schema(engine: Engine) -> bool:
    """Create the queue's tables on PostgreSQL if they are missing; True if it created them.

    procrastinate ships its schema as SQL (``procrastinate schema --apply`` runs the same file).
    """
    if engine.dialect.name != "postgresql":
        return False
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        if conn.scalar(text("SELECT to_regclass(:t)"), {"t": f"{SCHEMA}.procrastinate_jobs"}) is not None:
            return False
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
        conn.execute(text(f"SET LOCAL search_path TO {SCHEMA}"))
        sql = (resources.files("procrastinate.sql") / "schema.sql").read_text(encoding="utf-8")
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute(sql)  # psycopg: several statements in one, no parameters
    return True
