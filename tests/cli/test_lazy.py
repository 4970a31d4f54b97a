"""Commands are imported when they run: `exportguard --help` lists them from their sources alone."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.core import TyperGroup

from exportguard.cli.lazy import Lazy, LazyGroup
from exportguard.cli.main import ExportGuardCommands, app

HEAVY = ("sqlalchemy", "pydantic", "alembic", "exportguard.services", "exportguard.db.models")


def _help(capsys: pytest.CaptureFixture[str], *, load_all: bool) -> str:
    command = typer.main.get_command(app)
    assert isinstance(command, LazyGroup)
    with command.make_context("exportguard", [], resilient_parsing=True) as ctx:
        if load_all:
            command.load_all(ctx)
        capsys.readouterr()
        ctx.get_help()  # typer's rich help prints as it formats
    return capsys.readouterr().out


def test_the_listing_read_from_the_sources_is_the_commands_own(capsys: pytest.CaptureFixture[str]) -> None:
    listed = _help(capsys, load_all=False)
    assert _help(capsys, load_all=True) == listed  # the same words as each command's own help
    for entry in ExportGuardCommands.lazy:
        assert entry.listing() is not None, f"{entry.name}: its help is not readable from the source"
        assert f" {entry.name} " in listed


PROBE = """
import sys
from typer.testing import CliRunner
from exportguard.cli.main import app
CliRunner().invoke(app, sys.argv[1:])
print(" ".join(sorted(m for m in sys.modules if m.startswith("exportguard.cli."))))
print(" ".join(m for m in sys.modules if m.startswith(HEAVY)))
"""


def _imported_by(*args: str) -> tuple[set[str], str]:
    probe = PROBE.replace("HEAVY", repr(HEAVY))
    run = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    cli_modules, heavy = run.stdout.splitlines()
    return set(cli_modules.split()), heavy


def test_help_and_a_command_import_only_what_they_use() -> None:
    cli_modules, heavy = _imported_by("--help")
    assert heavy == "", f"`exportguard --help` imported {heavy}"
    assert "exportguard.cli.permits" not in cli_modules
    cli_modules, _ = _imported_by("audit", "--help")
    assert "exportguard.cli.audit" in cli_modules
    others = {"exportguard.cli.permits", "exportguard.cli.shipments", "exportguard.cli.operations"}
    assert not others & cli_modules


def test_every_command_of_a_noun_is_there_once_loaded() -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, LazyGroup)
    with command.make_context("exportguard", ["db"], resilient_parsing=True) as ctx:
        db = command.get_command(ctx, "db")
        policies = command.get_command(ctx, "policies")
        assert isinstance(db, TyperGroup) and isinstance(policies, TyperGroup)
        assert {"upgrade", "backup", "restore"} <= set(db.list_commands(ctx))
        assert {"list", "apply", "determine"} <= set(policies.list_commands(ctx))


def test_a_help_not_readable_from_the_source_loads_the_command() -> None:
    assert Lazy("x", "exportguard.cli.runtime", "state").listing() is None  # no docstring
    assert Lazy("x", "exportguard.cli.no_such_module", "app").listing() is None
