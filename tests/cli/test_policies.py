"""The case-study questions about policies, exceptions and the suspension's impact, by CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exportguard.demo.case import load_case_file, load_policy_text
from exportguard.demo.loader import load_case
from exportguard.services.system import ExportGuard
from tests.cli.conftest import Invoke, _invoke_on, url_of


def test_policies_in_force_and_exceptions(cli: Invoke) -> None:
    result = cli("policies", "list", "--destination", "TR", "--as-of", "2020-05-19", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [m["key"] for m in json.loads(result.stdout)] == ["TR-NTE-992"]
    result = cli("policies", "exceptions", "--format", "json")
    rows = json.loads(result.stdout)
    assert {(r["decided_by"], r["measure"], r["ground"]) for r in rows} == {
        ("minister.champagne", "TR-NTE-992", "NATO cooperation programs")
    }
    assert len(rows) == 2 and all(r["justification"] for r in rows)


def test_determination_traces_the_rules(cli: Invoke) -> None:
    result = cli(
        "policies",
        "determine",
        "--destination",
        "TR",
        "--item",
        "2-15",
        "--on",
        "2020-05-19",
        "--format",
        "json",
    )
    body = json.loads(result.stdout)
    assert (body["outcome"], body["exception_authority"]) == ("needs_exception", "minister")
    assert next(t["rule"] for t in body["trace"]) == "ECL s.2"
    moratorium = json.loads(
        cli(
            "policies",
            "determine",
            "--destination",
            "TR",
            "--item",
            "2-15",
            "--on",
            "2019-12-01",
            "--format",
            "json",
        ).stdout
    )
    assert moratorium["outcome"] == "no_new_permits"
    us = json.loads(
        cli("policies", "determine", "--destination", "US", "--item", "2-15", "--format", "json").stdout
    )
    assert (us["permit_required"], us["outcome"]) == (False, "no_permit_required")
    gep = json.loads(
        cli("policies", "determine", "--destination", "DE", "--item", "1-6.A.3", "--format", "json").stdout
    )
    assert gep["general_permit"] is None and any("GEP-41" in t["rule"] for t in gep["trace"])


def test_preview_before_the_suspension(
    committed_eg: ExportGuard, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Before 5 Oct 2020 is executed: what would suspending all Group 2 permits to TR hit?"""
    case = load_case_file()
    load_case(committed_eg, case.model_copy(update={"acts": [], "investigations": []}))
    invoke = _invoke_on(url_of(committed_eg), monkeypatch)
    result = invoke(
        "--token",
        "demo-minister-champagne",
        "permits",
        "suspend",
        "--destination",
        "TR",
        "--item-group",
        "2",
        "--effective-date",
        "2020-10-05",
        "--preview",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["permit_count"] == 29
    holders = {h["holder"]: h["permits"] for h in shown["holders"]}
    assert holders["L3Harris Wescam"] == 25 and len(holders) == 5
    by_number = {p["number"]: p for p in shown["permits"]}
    # EXP-2020-104512: 4 licensed, 2 + 2 shipped; EXP-2020-104513: 3 licensed, 2 shipped.
    assert by_number["EXP-2020-104512"]["undelivered_quantity"] == 0
    assert by_number["EXP-2020-104513"]["undelivered_quantity"] == 1
    assert by_number["EXP-2020-104513"]["undelivered_value"] == {"CAD": "1200000.00"}
    executed = invoke(
        "--token",
        "demo-minister-champagne",
        "permits",
        "suspend",
        "--destination",
        "TR",
        "--item-group",
        "2",
        "--effective-date",
        "2020-10-05",
        "--reason",
        "review",
        "--decision-ref",
        "T-1",
        "--format",
        "json",
    )
    assert json.loads(executed.stdout)["permit_count"] == 29
    again = invoke(
        "--token",
        "demo-minister-champagne",
        "permits",
        "suspend",
        "--destination",
        "TR",
        "--item-group",
        "2",
        "--effective-date",
        "2020-10-05",
        "--reason",
        "review",
        "--decision-ref",
        "T-1",
        "--format",
        "json",
    )
    assert json.loads(again.stdout)["repeated"] is True
    listed = invoke(
        "permits",
        "list",
        "--destination",
        "TR",
        "--status",
        "suspended",
        "--as-of",
        "2020-10-06",
        "--format",
        "json",
    )
    assert len(json.loads(listed.stdout)) == 29
    policy = tmp_path / "policy.yaml"
    policy.write_text(load_policy_text(case.policy_file or ""), encoding="utf-8")
    applied = invoke(
        "--token", "demo-minister-champagne", "policies", "apply", str(policy), "--format", "json"
    )
    assert applied.exit_code == 0, applied.output
    assert json.loads(applied.stdout)["recorded"] == [] and json.loads(applied.stdout)["revised"] == []
    policy.write_text(
        policy.read_text().replace('case by case under EIPA s.7.3"', 'case by case (EIPA s.7.3)"')
    )
    revised = json.loads(
        invoke(
            "--token", "demo-minister-champagne", "policies", "apply", str(policy), "--format", "json"
        ).stdout
    )
    assert revised["revised"] == ["TR-2024-CASE-BY-CASE/v2"]
