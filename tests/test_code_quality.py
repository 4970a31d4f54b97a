"""The house rules that tools can check: layers (import-linter), types (mypy strict), lint and format
(ruff), and installs pinned by the lock files."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "exportguard"
BIN = Path(sys.executable).parent
LOCKS = {"requirements.lock": ("test",), "requirements-bench.lock": ("test", "bench")}


@pytest.mark.parametrize(
    "command",
    [
        [str(BIN / "lint-imports")],
        [str(BIN / "ruff"), "check", "src", "tests", "benchmarks"],
        [str(BIN / "ruff"), "format", "--check", "src", "tests", "benchmarks"],
        [sys.executable, "-m", "mypy"],
    ],
    ids=["import-linter", "ruff", "ruff-format", "mypy"],
)
def test_tool_passes(command: list[str]) -> None:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


# The own-organisation rule is written in one place for queries (services/kernel/visibility.py)
# and one for a loaded record (Actor.sees, domain/access.py); each aggregate's
# services/<context>/visibility.py names its owner column. Anywhere else, by hand, it is a leak
# waiting for the next read that forgets it.
_RULE_HOMES = {"src/exportguard/domain/access.py", "src/exportguard/services/kernel/visibility.py"}
_BY_HAND = (
    "limited_to_own_records",
    "== actor.organisation_id",
    "!= actor.organisation_id",
    "actor.organisation_id ==",
    "actor.organisation_id !=",
)


def test_the_own_organisation_rule_is_written_only_in_its_homes() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sorted((ROOT / "src").rglob("*.py"))
        if str(path.relative_to(ROOT)) not in _RULE_HOMES and path.name != "visibility.py"
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if any(pattern in line for pattern in _BY_HAND)
    ]
    assert not found, "use Actor.sees or the aggregate's visibility module:\n" + "\n".join(found)


def test_every_visibility_module_asks_the_kernel() -> None:
    modules = sorted((ROOT / "src/exportguard/services").glob("*/visibility.py"))
    assert {m.parent.name for m in modules} >= {"permits", "applications", "border"}
    for module in modules:
        if module.parent.name != "kernel":
            assert "owned_by_actor" in module.read_text(), module


def _pins(lock: Path) -> dict[str, str]:
    pinned = re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", lock.read_text(), re.MULTILINE)
    return {canonicalize_name(m.group(1)): m.group(2) for m in pinned}


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_the_lock_pins_every_dependency_in_a_version_pyproject_allows(lock: str) -> None:
    """A dependency added to or changed in pyproject.toml without `./run lock` fails here."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    for extra in LOCKS[lock]:
        wanted += [Requirement(r) for r in project["optional-dependencies"][extra]]
    pins = _pins(ROOT / lock)
    locked = {r: pins.get(canonicalize_name(r.name)) for r in wanted}
    stale = [
        f"{r} (locked: {version or 'absent'})"
        for r, version in locked.items()
        if version is None or not r.specifier.contains(version, prereleases=True)
    ]
    assert not stale, f"{lock} is out of date with pyproject.toml, run `./run lock`: {stale}"


def test_the_bench_lock_keeps_every_version_of_the_test_lock() -> None:
    """./run bench's environment also serves ./run test: the shared packages must be the same."""
    test, bench = _pins(ROOT / "requirements.lock"), _pins(ROOT / "requirements-bench.lock")
    differing = {name: (v, bench.get(name)) for name, v in test.items() if bench.get(name) != v}
    assert not differing, f"run `./run lock`: the bench lock differs from requirements.lock: {differing}"


def test_async_handlers_reach_the_database_only_through_the_threadpool() -> None:
    """An ``async def`` handler runs on the event loop: a database call there holds up every other
    request. Its body may await (the form, the threadpool) but hands the system (the database) only
    to ``run_in_threadpool``; form handlers are plain defs taking ``PostedForm`` (web/pages/forms.py)."""
    offenders = []
    for path in sorted((SRC / "web").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.AsyncFunctionDef):
                continue
            handed = {
                id(node)
                for call in ast.walk(fn)
                if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "run_in_threadpool"
                for arg in call.args
                for node in ast.walk(arg)
            }
            offenders += [
                f"{path.relative_to(SRC)}:{node.lineno} {fn.name}"
                for node in ast.walk(fn)
                if isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Load)
                and node.id == "system"
                and id(node) not in handed
            ]
    assert not offenders, "database work on the event loop:\n" + "\n".join(offenders)
