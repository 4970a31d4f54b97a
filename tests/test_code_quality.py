"""The house rules that tools can check: layers (import-linter), types (mypy strict), lint (ruff)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        [str(BIN / "lint-imports")],
        [str(BIN / "ruff"), "check", "src", "tests", "benchmarks"],
        [sys.executable, "-m", "mypy"],
    ],
    ids=["import-linter", "ruff", "mypy"],
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
