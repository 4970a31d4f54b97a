"""The case-study questions about permits and their states, asked through the CLI."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tests.cli.conftest import Invoke

MX15D = {"EXP-2020-104512", "EXP-2020-104513", "EXP-2020-104514"}
NOVEMBER = {"EXP-2019-100701", "EXP-2019-100731", "EXP-2019-100851", "EXP-2019-100871"}


def _json(cli: Invoke, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


def _turkey(cli: Invoke, as_of: str, status: str) -> set[str]:
    rows = _json(cli, "permits", "list", "--destination", "TR", "--as-of", as_of, "--status", status)
    return {r["number"] for r in rows}


def test_permits_in_force_in_turkey_on_4_october_2020(cli: Invoke) -> None:
    active = _turkey(cli, "2020-10-04", "active")
    assert len(active) == 29
    assert active >= MX15D | NOVEMBER


def test_none_of_the_25_suspended_is_active_on_6_october_2020(cli: Invoke) -> None:
    suspended = _turkey(cli, "2020-10-06", "suspended")
    assert len(suspended) == 25
    assert suspended >= MX15D
    assert _turkey(cli, "2020-10-06", "active") == NOVEMBER
    wescam = {
        r["number"]
        for r in _json(cli, "permits", "list", "--destination", "TR", "--as-of", "2020-10-06")
        if r["holder"] == "L3Harris Wescam"
    }
    assert wescam == suspended


def test_four_more_suspended_by_30_november_2020(cli: Invoke) -> None:
    assert _turkey(cli, "2020-11-19", "active") == NOVEMBER
    assert _turkey(cli, "2020-11-30", "active") == set()
    assert len(_turkey(cli, "2020-11-30", "suspended")) == 29


def test_all_29_cancelled_on_12_april_2021(cli: Invoke) -> None:
    assert _turkey(cli, "2021-04-11", "cancelled") == set()
    cancelled = _turkey(cli, "2021-04-12", "cancelled")
    assert len(cancelled) == 29
    permit = _json(cli, "permits", "show", "EXP-2020-104512")
    assert [(t["command"], t["effective_date"], t["principal"]) for t in permit["timeline"]] == [
        ("issue", "2020-05-22", "officer.tremblay"),
        ("suspend", "2020-10-05", "minister.champagne"),
        ("cancel", "2021-04-12", "minister.garneau"),
    ]
    assert permit["timeline"][-1]["legal_basis"] == "EIPA s.10(1)"
    assert "Nagorno-Karabakh" in permit["timeline"][-1]["reason"]


def test_show_as_of_a_date_and_known_at_a_moment(cli: Invoke) -> None:
    on_oct_6 = _json(cli, "permits", "show", "EXP-2020-104513", "--as-of", "2020-10-06")
    assert on_oct_6["status"] == "suspended"
    assert [t["command"] for t in on_oct_6["timeline"]] == ["issue", "suspend"]
    # As the register stood before the suspension was recorded, the permits were still active.
    before = _json(
        cli,
        "permits",
        "list",
        "--destination",
        "TR",
        "--as-of",
        "2020-12-01",
        "--known-at",
        "2020-10-04T12:00",
    )
    assert {r["number"] for r in before if r["status"] == "active"} >= MX15D


def test_filters_by_item_group_and_other_destinations(cli: Invoke) -> None:
    by_item = _json(cli, "permits", "list", "--item", "2-21", "--as-of", "2020-10-04")
    assert {r["number"] for r in by_item} == {
        "EXP-2020-104514",
        "EXP-2019-100781",
        "EXP-2019-100782",
        "EXP-2019-100783",
    }
    assert {
        r["destination"] for r in _json(cli, "permits", "list", "--group", "2", "--as-of", "2020-07-01")
    } == {
        "TR",
        "GB",
        "US",
        "SA",
    }
    sa = _json(cli, "permits", "list", "--destination", "sa", "--as-of", "2020-07-01")
    assert [(r["number"], r["status"]) for r in sa] == [("EXP-2020-105120", "active")]


def test_csv_and_table_formats(cli: Invoke) -> None:
    result = cli("permits", "list", "--destination", "TR", "--as-of", "2020-10-06", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 29
    assert {r["status"] for r in rows} == {"active", "suspended"}
    table = cli("permits", "list", "--destination", "TR", "--as-of", "2020-10-06")
    assert table.exit_code == 0
    assert "EXP-2020-104512" in table.stdout and "29 records" in table.stdout


def test_shipments_show_on_the_permit(cli: Invoke) -> None:
    permit = _json(cli, "permits", "show", "EXP-2020-104513")
    assert [(ln["quantity"], ln["shipped_quantity"], ln["remaining_quantity"]) for ln in permit["lines"]] == [
        (3, 2, 1)
    ]
