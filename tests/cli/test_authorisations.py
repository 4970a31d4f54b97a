"""exportguard authorisations checks: the checks recorded, read back with filters (json, csv), as the
local operator or --as a principal; a bad filter is one line and exit status 2."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from exportguard.cli.authorisations import CHECK_COLUMNS
from exportguard.services.system import ExportGuard
from tests.cli.conftest import DEMO_TOKENS, Invoke

PERMIT = "EXP-2020-104513"


def _ask(cli: Invoke, who: str, day: str) -> None:
    result = cli(
        "--token",
        DEMO_TOKENS[who],
        "authorisations",
        "check",
        "--permit",
        PERMIT,
        "--date",
        day,
        "--item",
        "2-15:1",
    )
    assert result.exit_code in (0, 1), result.output + result.stderr


def _checks(cli: Invoke, *options: str, who: str | None = None) -> list[dict[str, Any]]:
    principal = ("--token", DEMO_TOKENS[who]) if who else ()
    result = cli(*principal, "authorisations", "checks", *options, "-f", "json")
    assert result.exit_code == 0, result.output + result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_checks_read_back_with_filters(own_cli: tuple[Invoke, ExportGuard]) -> None:
    cli, _ = own_cli
    before = {c["id"] for c in _checks(cli, "--limit", "1000")}
    _ask(cli, "customs.cbsa", "2020-09-15")  # authorised
    _ask(cli, "customs.cbsa", "2020-10-10")  # refused: suspended on 2020-10-05
    _ask(cli, "exporter.wescam", "2020-09-16")  # authorised
    everything = _checks(cli)  # the local operator (auditor) reads every check
    new = [c for c in everything if c["id"] not in before]
    assert [(c["principal"], c["question"]["shipped_on"], c["authorised"]) for c in new] == [
        ("exporter.wescam", "2020-09-16", True),
        ("customs.cbsa", "2020-10-10", False),
        ("customs.cbsa", "2020-09-15", True),
    ]
    (refused,) = _checks(cli, "--answer", "refused", "--principal", "customs.cbsa", "--permit", PERMIT)
    assert refused["id"] == new[1]["id"]
    assert (refused["role"], refused["permit_ref"], refused["shipped_on"]) == (
        "customs",
        PERMIT,
        "2020-10-10",
    )
    assert refused["question"] == {
        "permit": PERMIT,
        "shipped_on": "2020-10-10",
        "lines": [{"item_code": "2-15", "quantity": 1}],
    }
    assert refused["reasons"] == [
        {"code": "suspended", "field": "shipped_on", "message": "suspended on 2020-10-05"}
    ]
    assert refused["because"] == "suspended on 2020-10-05"  # the tables' and CSV's column
    assert [c["id"] for c in _checks(cli, "--limit", "2")] == [new[0]["id"], new[1]["id"]]
    assert _checks(cli, "--to", "2019-12-31") == []
    # An exporter reads its own organisation's checks only, with or without filters.
    assert [c["id"] for c in _checks(cli, who="exporter.wescam")] == [new[0]["id"]]
    assert _checks(cli, "--principal", "customs.cbsa", who="exporter.wescam") == []

    as_csv = cli("authorisations", "checks", "--principal", "exporter.wescam", "-f", "csv")
    assert as_csv.exit_code == 0, as_csv.stderr
    (row,) = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert list(row) == list(CHECK_COLUMNS)
    assert (row["id"], row["permit_ref"], row["authorised"], row["because"]) == (
        str(new[0]["id"]),
        PERMIT,
        "True",
        "",
    )


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (("authorisations", "checks", "--answer", "maybe"), "error: answer:"),
        (("authorisations", "checks", "--limit", "0"), "error: limit:"),
        (("authorisations", "checks", "--limit", "1001"), "error: limit:"),
        (("authorisations", "checks", "--from", "2020-04-22", "--to", "2020-04-21"), "error: asked_to:"),
        (("authorisations", "checks", "--from", "22/04/2020"), "error: Invalid value for '--from'"),
        (
            ("--token", "demo-advisor-dnd", "authorisations", "checks"),
            "error: role 'advisor' may not read checks",
        ),
    ],
)
def test_a_bad_filter_or_role_is_one_line_and_exit_2(cli: Invoke, args: tuple[str, ...], start: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith(start), result.stderr


def test_help(cli: Invoke) -> None:
    result = cli("authorisations", "checks", "--help")
    assert result.exit_code == 0
    for option in ("--permit", "--principal", "--answer", "--from", "--to", "--limit", "--format"):
        assert option in result.stdout, option
