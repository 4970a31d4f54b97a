"""Migrations are one line, upgrade an empty database of each kind, and never drift from the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from exportguard.db import migrate
from exportguard.db.migrate import MultipleHeads, alembic_config, check, head, upgrade
from exportguard.db.models import Base
from exportguard.db.session import make_engine
from exportguard.services.reference.control_list import control_list, known_countries
from exportguard.services.system import ExportGuard

# The three heads the history had before 0006_one_line merged them: databases exist at these.
FORMER_HEADS = ("0003_policy", "0004_shipments", "0005_permits_hot")


def test_the_history_has_exactly_one_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, head()  # head() raises MultipleHeads with how to fix it
    assert head() == heads[0]


def test_a_fork_is_refused_naming_both_heads_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked = tmp_path / "migrations"
    forked.mkdir()
    (forked / "env.py").write_text((migrate.MIGRATIONS / "env.py").read_text())
    (forked / "versions").mkdir()
    for rev, down in [("a1", None), ("b2", "a1"), ("c3", "a1")]:
        (forked / "versions" / f"{rev}.py").write_text(f"revision = {rev!r}\ndown_revision = {down!r}\n")
    monkeypatch.setattr(migrate, "MIGRATIONS", forked)
    with pytest.raises(MultipleHeads, match=r"2 heads \(b2, c3\).*set down_revision .* to main's head"):
        head()


def test_empty_database_upgrades_and_matches_the_models(committed_eg: ExportGuard) -> None:
    engine = committed_eg.engine  # created empty and upgraded by ExportGuard.from_url
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == (head(),)
        # What `alembic revision --autogenerate` would write: nothing, listed if not.
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], f"models and migrations disagree; add a migration for: {differences}"
    check(engine)  # `alembic check`, as configured in env.py: raises when autogenerate finds a difference
    upgrade(engine)  # upgrading again is a no-op
    with committed_eg.read() as session:  # a new database is usable at once
        groups = control_list(session)
        assert [g.number for g in groups] == list(range(1, 10))
        assert [i.code for i in groups[1].items] == [f"2-{n}" for n in range(1, 23)]
        assert {"CA", "TR", "US", "KP", "XK"} <= known_countries(session)


def test_a_database_at_the_three_former_heads_moves_to_the_one_head(committed_eg: ExportGuard) -> None:
    url = committed_eg.engine.url.render_as_string(hide_password=False)
    committed_eg.engine.dispose()
    with make_engine(url).connect() as conn:  # empty it: a database as it was before the merge
        for table in reversed(Base.metadata.sorted_tables):
            conn.exec_driver_sql(f"DROP TABLE {table.name}")
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.commit()
    engine = make_engine(url)
    for former in FORMER_HEADS:  # as `upgrade(engine, "heads")` left every database until now
        command.upgrade(alembic_config(engine), former)
    with engine.connect() as conn:
        assert set(MigrationContext.configure(conn).get_current_heads()) == set(FORMER_HEADS)
    upgrade(engine)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == (head(),)
    check(engine)
    engine.dispose()
