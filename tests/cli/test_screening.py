"""exportguard lists import|list|diff and exportguard screen, on the demo database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exportguard.services.system import ExportGuard
from tests.cli.conftest import Invoke
from tests.conftest import shared_data

OFFICER = ("--token", "demo-officer-tremblay")


def test_import_twice_list_diff_and_screen_a_file(
    own_cli: tuple[Invoke, ExportGuard], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli, _ = own_cli
    # The demo's sample snapshot is replaced whole by the real list: allowed here, held by default.
    monkeypatch.setenv("EXPORTGUARD_LIST_MAX_SHRINK", "1.0")
    demo = json.loads(cli("lists", "list", "-f", "json").stdout)  # the demo's two sample snapshots
    old = str(shared_data("sanctions/un-consolidated-2025-08-02.xml"))
    new = str(shared_data("sanctions/un-consolidated-2026-02-27.xml"))
    first = cli(*OFFICER, "lists", "import", "un-consolidated", old, "-f", "json")
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["created"] is True
    again = cli(*OFFICER, "lists", "import", "un-consolidated", old, "-f", "json")
    assert json.loads(again.stdout)["created"] is False
    changed = json.loads(cli(*OFFICER, "lists", "import", "un-consolidated", new, "-f", "json").stdout)
    assert changed["added"] > 0

    snapshots = json.loads(cli("lists", "list", "-f", "json").stdout)[len(demo) :]
    assert [s["source"] for s in snapshots] == ["un-consolidated", "un-consolidated"]
    diff = cli("lists", "diff", str(snapshots[0]["id"]), str(snapshots[1]["id"]))
    assert diff.stdout.startswith(f"{changed['added']} added, {changed['changed']} changed")

    names = tmp_path / "parties.csv"
    names.write_text(
        "name,country,date_of_birth,kind\nERIC BADEGE,,1971,person\nMaria Schmidt,DE,,person\n",
        encoding="utf-8",
    )
    result = cli("screen", str(names), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["entry_id"] == "CDi.001"
    assert "badege=badege" in rows[0]["explanation"]
    assert rows[-1] == {"row": 2, "name": "Maria Schmidt"}


def test_a_malformed_list_is_one_line_and_exit_2(own_cli: tuple[Invoke, ExportGuard]) -> None:
    cli, _ = own_cli
    before = json.loads(cli("lists", "list", "-f", "json").stdout)
    bad = str(shared_data("sanctions/malformed/sdn.csv"))
    result = cli(*OFFICER, "lists", "import", "ofac-sdn", bad)
    assert result.exit_code == 2
    assert "line 7380" in result.stderr
    assert json.loads(cli("lists", "list", "-f", "json").stdout) == before


def test_custom_list_entries_from_the_command_line(own_cli: tuple[Invoke, ExportGuard]) -> None:
    cli, _ = own_cli
    added = cli(
        *OFFICER,
        "lists",
        "add-entry",
        "diverters",
        "INV-2021-007",
        "--name",
        "Baykar",
        "--name",
        "Baykar Makina",
        "--country",
        "TR",
        "--reason",
        "sensors re-exported against the end-use assurance",
        "-f",
        "json",
    )
    assert added.exit_code == 0, added.stderr
    view = json.loads(added.stdout)
    # Baykar was the consignee of the case's permits, all cancelled on 2021-04-12: no pending work
    # names it any more, so listing it alerts nothing (a new application naming it is screened).
    assert (view["source"], view["added"], view["new_hits"], view["alerts"]) == ("custom:diverters", 1, 0, 0)
    removed = cli(*OFFICER, "lists", "remove-entry", "diverters", "INV-2021-007", "--reason", "overturned")
    assert removed.exit_code == 0, removed.stderr
    bad = cli(*OFFICER, "lists", "add-entry", "Bad Name", "X1", "--name", "A", "--reason", "r")
    assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1 and "list_name" in bad.stderr


def test_an_emptied_list_is_held_until_confirmed(own_cli: tuple[Invoke, ExportGuard], tmp_path: Path) -> None:
    cli, _ = own_cli
    empty = tmp_path / "sdn.csv"
    empty.write_bytes(b"")
    before = len(json.loads(cli("lists", "list", "-f", "json").stdout))
    held = cli(*OFFICER, "lists", "import", "ofac-sdn", str(empty))
    assert held.exit_code == 2 and len(held.stderr.strip().splitlines()) == 1, held.stderr
    assert len(json.loads(cli("lists", "list", "-f", "json").stdout)) == before
    content_hash = held.stderr.split("content hash ")[1].split()[0]
    confirmed = cli(
        *OFFICER, "lists", "import", "ofac-sdn", str(empty), "--confirm", content_hash, "-f", "json"
    )
    assert confirmed.exit_code == 0, confirmed.stderr
    assert json.loads(confirmed.stdout)["entries"] == 0
