"""Migrations upgrade an empty database of each kind, and the models never drift from them."""

from __future__ import annotations

from sqlalchemy import inspect

from exportguard.db.migrate import check, upgrade
from exportguard.db.models import Base
from exportguard.services.context import ExportGuard
from exportguard.services.reference import control_list, known_countries


def test_empty_database_upgrades_and_matches_the_models(committed_eg: ExportGuard) -> None:
    engine = committed_eg.engine  # created empty and upgraded by ExportGuard.from_url
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    check(engine)  # `alembic check`: raises when autogenerate would find a difference
    upgrade(engine)  # upgrading again is a no-op
    with committed_eg.read() as session:  # a new database is usable at once
        groups = control_list(session)
        assert [g.number for g in groups] == list(range(1, 10))
        assert [i.code for i in groups[1].items] == [f"2-{n}" for n in range(1, 23)]
        assert {"CA", "TR", "US", "KP", "XK"} <= known_countries(session)
