"""Bad input: one line on stderr naming the field, exit status 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke


def _events(cli: Invoke) -> int:
    return len(json.loads(cli("audit", "events", "--limit", "100000", "--format", "json").stdout))


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["permits", "list", "--as-of", "2020-13-01"], "--as-of"),
        (["permits", "list", "--status", "revoked"], "status"),
        (["permits", "list", "--destination", "TUR"], "destination"),
        (["permits", "list", "--format", "xml"], "--format"),
        (["permits", "list", "--group", "two"], "--group"),
        (["permits", "suspend", "EXP-2020-104512", "--reason", "r"], "token"),
        (["--as", "nobody", "permits", "suspend", "EXP-2020-104512", "--reason", "r"], "as"),
        (["--token", "demo-minister-garneau", "permits", "suspend", "EXP-2020-104512"], "--reason"),
        (["--token", "demo-minister-garneau", "permits", "show", "NO-SUCH-PERMIT"], "permit"),
        (["--token", "demo-auditor", "permits", "cancel", "EXP-2020-100877", "--reason", "r"], "auditor"),
        (
            ["--token", "demo-minister-garneau", "permits", "reinstate", "EXP-2020-104512", "--reason", "r"],
            "state",
        ),
        (
            [
                "--token",
                "demo-minister-garneau",
                "permits",
                "cancel",
                "EXP-2020-105120",
                "--reason",
                "r",
                "--effective-date",
                "2020-01-01",
            ],
            "effective_date",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli: Invoke, args: list[str], field: str) -> None:
    before = _events(cli)
    result = cli(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert field in lines[0]
    assert _events(cli) == before  # nothing half-written


def test_bad_input_file_names_the_field(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text("destination: TR\nlines: [{line_no: 0}]\n", encoding="utf-8")
    result = cli("--token", "demo-exporter-wescam", "applications", "draft", "--file", str(path))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "lines.0.line_no" in result.stderr


LINE = "{line_no: 1, product_id: 1, item_code: '2-15', description: turret, unit_value: 10"


@pytest.mark.parametrize(
    ("command", "content", "field"),
    [
        (
            ["applications", "draft", "--file"],
            f"destination: TR\nlines: [{LINE}, quantity: 0}}]\n",
            "lines.0.quantity",
        ),
        (
            ["applications", "draft", "--file"],
            f"destination: TR\nlines: [{LINE}, quantity: 1, currency: XXX1}}]\n",
            "currency",
        ),
        (["applications", "draft", "--file"], 'destination: TR\nend_use: "a\\0b"\n', "end_use"),
        (["applications", "draft", "--file"], "a: &x [1, 2]\nb: *x\n", "file line 2"),
        (["applications", "draft", "--file"], "[" * 5000 + "]" * 5000, "nested too deeply"),
        (["applications", "draft", "--file"], b"\xff\xfe\x00 binary", "not UTF-8"),
        (["policies", "apply"], "name: p\nmeasures:\n  - &m {key: A}\n  - *m\n", "file line 4"),
        (["policies", "apply"], b"\x00\x01", "file"),
    ],
)
def test_hostile_files_are_one_line_and_exit_2(
    cli: Invoke, tmp_path: Path, command: list[str], content: str | bytes, field: str
) -> None:
    path = tmp_path / "hostile.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = _events(cli)
    result = cli("--token", "demo-minister-garneau", *command, str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert field in result.stderr
    assert _events(cli) == before


def test_item_code_not_on_the_list_is_named(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(
        f"destination: TR\nlines: [{LINE.replace('2-15', 'zzz')}, quantity: 1}}]\n", encoding="utf-8"
    )
    result = cli("--token", "demo-exporter-wescam", "applications", "draft", "--file", str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "lines[1].item_code" in result.stderr
