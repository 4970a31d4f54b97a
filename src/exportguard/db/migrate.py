"""Alembic, driven from code: upgrade a database to the latest schema, or check for drift."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


class MultipleHeads(Exception):
    """The migration history forked: two migrations revise the same parent (or none is merged)."""


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head() -> str:
    """The one head of the migration history; raises MultipleHeads, saying how to fix it, if forked."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise MultipleHeads(
            f"the migration history has {len(heads)} heads ({', '.join(sorted(heads))}) "
            "and must be one line: set down_revision in the migration you added to main's head "
            "(the other revision listed here; `git log main -- src/exportguard/db/migrations/versions` "
            "shows it), and its Revises: line too"
        )
    return heads[0]


def upgrade(engine: Engine) -> None:
    """Upgrade to the head of the one line of migrations."""
    command.upgrade(alembic_config(engine), head())


def check(engine: Engine) -> None:
    """Raise if the models and the migrations disagree (``alembic check``)."""
    command.check(alembic_config(engine))
