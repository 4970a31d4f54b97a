"""The other read commands on the demo database, and --help everywhere."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import Invoke


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["permits"],
        ["applications"],
        ["audit"],
        ["parties"],
        ["products"],
        ["control-list"],
        ["policies"],
        ["db"],
        ["demo"],
        ["permits", "list"],
        ["permits", "suspend"],
        ["applications", "approve"],
        ["audit", "verify"],
    ],
)
def test_help_everywhere(cli: Invoke, args: list[str]) -> None:
    result = cli(*args, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_read_commands_without_as_explain_the_local_operator(cli: Invoke) -> None:
    assert "local operator" in " ".join(cli("--help").stdout.split())


def test_registers(cli: Invoke) -> None:
    parties = json.loads(cli("parties", "list", "--format", "json").stdout)
    assert {"L3Harris Wescam", "Baykar", "Turkish Ministry of National Defence"} <= {
        p["name"] for p in parties
    }
    products = json.loads(cli("products", "list", "--format", "json").stdout)
    mx15d = next(p for p in products if p["model"] == "MX-15D")
    assert set(mx15d["item_codes"]) == {"2-15", "2-5"}
    items = json.loads(cli("control-list", "show", "--group", "2", "--format", "json").stdout)
    assert len(items) == 22
    measures = json.loads(
        cli("policies", "list", "--destination", "TR", "--as-of", "2020-10-06", "--format", "json").stdout
    )
    assert [m["key"] for m in measures] == ["TR-NTE-992"]
    assert measures[0]["exception_grounds"] == ["exceptional circumstances", "NATO cooperation programs"]


def test_applications_list_and_show(cli: Invoke) -> None:
    rows = json.loads(
        cli("applications", "list", "--destination", "TR", "--as-of", "2020-05-01", "--format", "json").stdout
    )
    assert sorted({r["state"] for r in rows}) == ["approved", "under_review"]
    pending = [r for r in rows if r["state"] == "under_review"]
    assert len(pending) == 2
    result = cli("applications", "show", str(pending[0]["id"]), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"policy_exception"' in result.stdout and "TR-NTE-992" in result.stdout


def test_audit_events_for_a_permit(cli: Invoke) -> None:
    permit = json.loads(cli("permits", "show", "EXP-2020-104512", "--format", "json").stdout)
    events = json.loads(
        cli("audit", "events", "--subject", "permit", "--id", str(permit["id"]), "--format", "json").stdout
    )
    assert [e["command"] for e in events] == ["issue_permit", "suspend_permit", "cancel_permit"]
    assert events[-1]["principal"] == "minister.garneau"
