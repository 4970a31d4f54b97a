"""Commands loaded when they run: `exportguard --help` and one command import only what they use.

Importing every noun's module (and through them the services, SQLAlchemy, pydantic, the PDF and
job-queue libraries) took seconds before any command started. The root group instead knows each
command by the module and attribute that define it, imports that module when the command runs,
and lists the commands in `exportguard --help` from the sources' own words (a Typer's ``help=``
or a function's docstring, read with ``ast``), so the listing and the commands cannot drift apart.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, ClassVar

import typer
from typer._click.core import Command
from typer._click.core import Context as ClickContext
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

from exportguard.cli.runtime import ExportGuardGroup


@dataclass(frozen=True)
class Lazy:
    """``exportguard NAME``: ``attribute`` of ``module``, a ``typer.Typer`` (a noun with its verbs)
    or a function (one command); ``extend``, if given, adds commands to that Typer first."""

    name: str
    module: str
    attribute: str
    extend: Callable[[typer.Typer], None] | None = None

    def load(self) -> Command:
        target = getattr(importlib.import_module(self.module), self.attribute)
        if isinstance(target, typer.Typer):
            if self.extend is not None:
                self.extend(target)
            command: Command = typer.main.get_group(target)
        else:
            single = typer.Typer()
            single.command(self.name)(target)
            command = typer.main.get_command(single)
        command.name = self.name
        return command

    def listing(self) -> Command | None:
        """A stand-in carrying the help text alone, for the root's listing (None: not readable)."""
        found = _help_in_source(self.module, self.attribute)
        if found is None:
            return None
        is_group, text = found
        if is_group:
            return TyperGroup(name=self.name, help=text)
        return TyperCommand(name=self.name, help=text)


def extended_by(module: str, function: str) -> Callable[[typer.Typer], None]:
    """``extend`` for a noun whose verbs live in two modules: ``function(app)`` of ``module``."""

    def extend(app: typer.Typer) -> None:
        getattr(importlib.import_module(module), function)(app)

    return extend


@cache
def _help_in_source(module: str, attribute: str) -> tuple[bool, str] | None:
    """(is a Typer, its help) as written in the module's source, without importing it."""
    spec = find_spec(module)
    if spec is None or spec.origin is None:
        return None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == attribute:
            doc = ast.get_docstring(node)
            return None if doc is None else (False, doc)
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == attribute for t in node.targets)
            and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func) == "typer.Typer"
        ):
            for keyword in node.value.keywords:
                if keyword.arg == "help":
                    try:
                        return True, str(ast.literal_eval(keyword.value))
                    except ValueError:
                        return None
    return None


class LazyGroup(ExportGuardGroup):
    """The root group: its own commands, then those of ``lazy``, each imported on first use."""

    lazy: ClassVar[tuple[Lazy, ...]] = ()
    _listing: bool = False

    def _lazy(self) -> dict[str, Lazy]:
        return {entry.name: entry for entry in self.lazy}

    def list_commands(self, ctx: ClickContext) -> list[str]:
        eager = super().list_commands(ctx)
        return eager + [entry.name for entry in self.lazy if entry.name not in eager]

    def get_command(self, ctx: ClickContext, cmd_name: str) -> Command | None:
        if cmd_name in self.commands or cmd_name not in self._lazy():
            return super().get_command(ctx, cmd_name)
        entry = self._lazy()[cmd_name]
        if self._listing:
            stand_in = entry.listing()
            if stand_in is not None:
                return stand_in
        self.add_command(entry.load(), cmd_name)
        return self.commands[cmd_name]

    def load_all(self, ctx: ClickContext) -> None:
        """Import every command (the test compares the listing with the real commands')."""
        for name in self.list_commands(ctx):
            self.get_command(ctx, name)

    def format_help(self, ctx: ClickContext, formatter: HelpFormatter) -> Any:
        self._listing = True
        try:
            return super().format_help(ctx, formatter)
        finally:
            self._listing = False
