"""The case's questions about the allegation, the investigation, the assurances and the lobbying,
asked through the CLI on the demo database (and the same answers through the API)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from exportguard.services.system import ExportGuard
from exportguard.web.app import create_app
from tests.cli.conftest import Invoke


def _json(cli: Invoke, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


def test_which_allegation_led_to_which_act(cli: Invoke) -> None:
    (row,) = _json(cli, "investigations", "acts")
    assert (row["allegation"].startswith("ALG-"), row["source_name"]) == (True, "Project Ploughshares")
    assert (row["command"], row["decision_ref"], row["effective_date"], row["decided_by"]) == (
        "cancel",
        "MINA-2021-04-12-TR",
        "2021-04-12",
        "minister.garneau",
    )
    assert len(row["permits"]) == 29
    permit = _json(cli, "permits", "show", "EXP-2020-104512")
    assert [(t["command"], t["effective_date"]) for t in permit["timeline"]][-1] == ("cancel", "2021-04-12")


def test_the_investigation_in_date_order(cli: Invoke) -> None:
    (inv,) = _json(cli, "investigations", "list")
    timeline = _json(cli, "investigations", "timeline", inv["reference"])
    days = [e["on"] for e in timeline]
    assert days == sorted(days)
    story = [(e["on"], e["kind"]) for e in timeline]
    assert story[0] == ("2020-09-29", "allegation")
    assert ("2020-10-16", "response") in story  # Turkey's protest and refusal to answer
    assert story[-1] == ("2021-04-12", "closed")
    refusal = next(e for e in timeline if e["kind"] == "response" and e["on"] == "2020-10-16")
    assert "refused to answer" in refusal["summary"] and "Erdogan" in refusal["summary"]
    executed = next(e for e in timeline if e["kind"] == "executed")
    assert executed["ref"] == "MINA-2021-04-12-TR" and "29 permit(s)" in executed["summary"]


def test_what_turkey_assured_and_what_was_found(cli: Invoke) -> None:
    (assured,) = _json(cli, "assurances", "list", "--country", "TR")
    assert (assured["form"], assured["given_by"]) == (
        "oral_assurance",
        "Mevlüt Çavuşoğlu, Minister of Foreign Affairs of Turkey",
    )
    assert assured["promises"]["where_used"] == "Syria (Idlib)"
    assert assured["state"] == "breached" and "Azerbaijan" in assured["breach_source"]
    (inv,) = _json(cli, "investigations", "list")
    shown = _json(cli, "investigations", "show", inv["reference"])
    assert [(q["number"], q["finding"]) for q in shown["questions"]] == [
        (1, "yes"),
        (2, "no"),
        (3, "insufficient_evidence"),
    ]


def test_decisions_taken_while_lobbying_was_on_record(cli: Invoke) -> None:
    rows = _json(cli, "lobbying", "decisions", "--destination", "TR")
    assert {r["decided_by"] for r in rows} == {"minister.champagne"}
    assert {r["decided_on"] for r in rows} == {"2020-05-19"}
    assert {r["policy_exception"]["ground"] for r in rows} == {"NATO cooperation programs"}
    comms = {c["lobbyist"] + " for " + c["client"] for r in rows for c in r["communications"]}
    assert comms == {"Ken Mackay for Baykar"}
    table = cli("lobbying", "decisions", "--destination", "TR", "--format", "csv")
    assert table.exit_code == 0 and "Ken Mackay" in table.stdout


def test_the_same_answers_through_the_api(demo_url: str) -> None:
    system = ExportGuard.from_url(demo_url, migrate=False)
    try:
        with TestClient(create_app(system)) as client:
            auth = {"Authorization": "Bearer demo-auditor"}
            acts = client.get("/api/reports/allegations-to-acts", headers=auth).json()
            assert [a["decision_ref"] for a in acts] == ["MINA-2021-04-12-TR"]
            lobbied = client.get("/api/reports/decisions-while-lobbied?destination=TR", headers=auth).json()
            assert {r["decided_by"] for r in lobbied} == {"minister.champagne"}
            inv = client.get("/api/investigations", headers=auth).json()[0]["reference"]
            timeline = client.get(f"/api/investigations/{inv}", headers=auth).json()["timeline"]
            assert [e["on"] for e in timeline] == sorted(e["on"] for e in timeline)
            assured = client.get("/api/assurances?permit=EXP-2020-104512", headers=auth).json()
            assert [a["form"] for a in assured] == ["oral_assurance"]
            assert (
                client.get(
                    "/api/investigations", headers={"Authorization": "Bearer demo-exporter-wescam"}
                ).status_code
                == 403
            )
    finally:
        system.engine.dispose()


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (
            ["--token", "demo-officer-tremblay", "allegations", "dismiss", "ALG-NOPE", "--reason", "r"],
            "allegation",
        ),
        (
            [
                "--token",
                "demo-officer-tremblay",
                "allegations",
                "record",
                "--source-kind",
                "rumour",
                "--source",
                "x",
                "--claim",
                "y",
            ],
            "source_kind",
        ),
        (
            [
                "--token",
                "demo-officer-tremblay",
                "allegations",
                "record",
                "--source-kind",
                "ngo",
                "--source",
                "x",
                "--claim",
                "y",
                "--concern",
                "destination",
            ],
            "concern[0]",
        ),
        (["--token", "demo-exporter-wescam", "investigations", "list"], "exporter"),
        (["--token", "demo-officer-tremblay", "investigations", "ask", "INV-2020-0001", "Late?"], "state"),
        (["--token", "demo-officer-tremblay", "lobbying", "import", "/no/such/export.zip"], "source"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli: Invoke, args: list[str], field: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and field in lines[0], result.stderr
