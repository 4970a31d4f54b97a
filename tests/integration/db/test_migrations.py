"""Migrations upgrade an empty database of each kind, and the models never drift from them."""

from __future__ import annotations

from sqlalchemy import inspect

from exportguard.db.migrate import check, upgrade
from exportguard.db.models import Base
from exportguard.services.context import ExportGuard


def test_empty_database_upgrades_and_matches_the_models(committed_eg: ExportGuard) -> None:
    engine = committed_eg.engine  # created empty and upgraded by ExportGuard.from_url
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    check(engine)  # `alembic check`: raises when autogenerate would find a difference
    upgrade(engine)  # upgrading again is a no-op
