"""The border through the CLI: the reference case's check, a declaration file, shipments and usage."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from exportguard.services.system import ExportGuard
from tests.cli.conftest import Invoke

CBSA = ("--token", "demo-customs-cbsa")
CHECK = (*CBSA, "authorisations", "check", "--permit", "EXP-2020-104513", "--item", "2-15:1")


def test_mx15d_authorised_on_15_september_refused_on_10_october_2020(cli: Invoke) -> None:
    before = cli(*CHECK, "--date", "2020-09-15", "--destination", "TR", "--consignee", "Baykar", "-f", "json")
    assert before.exit_code == 0, before.output + before.stderr
    assert json.loads(before.stdout)["authorised"] is True
    after = cli(*CHECK, "--date", "2020-10-10", "-f", "json")
    assert after.exit_code == 1
    assert [r["message"] for r in json.loads(after.stdout)["reasons"]] == ["suspended on 2020-10-05"]


def test_check_needs_a_principal_and_well_formed_lines(cli: Invoke) -> None:
    anonymous = cli(
        "authorisations", "check", "--permit", "EXP-2020-104513", "--date", "2020-09-15", "--line", "1:1"
    )
    assert anonymous.exit_code == 2 and anonymous.stderr.startswith("error: token:")
    bad = cli(*CBSA, "authorisations", "check", "--permit", "X", "--date", "2020-09-15", "--line", "1:one")
    assert bad.exit_code == 2 and "line" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


DECLARATIONS = """declaration_id,shipped_on,permit,line_no,item_code,quantity,value,destination,consignee,port
CBSA-1,2020-09-15,EXP-2020-104513,1,2-15,1,,TR,Baykar,YYZ
CBSA-2,2020-09-16,EXP-2020-104513,1,,1,,TR,Baykar,YYZ
CBSA-3,2020-10-10,EXP-2020-104513,,2-15,1,,TR,Baykar,YYZ
CBSA-4,2020-13-01,EXP-2020-104513,1,,1,,TR,,YYZ
CBSA-5,2020-09-15,EXP-404,1,,1,,TR,,YYZ
CBSA-6,2020-09-15,EXP-2020-104513,1,,one,,TR,,YYZ
CBSA-7,2020-09-15,EXP-2020-104513
CBSA-8,2020-09-15,EXP-2020-104514,1,,1,,GB,,YYZ
"""


def test_a_declaration_file_gets_a_verdict_per_line_and_bad_lines_by_number(
    cli: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "declarations.csv"
    path.write_text(DECLARATIONS)
    result = cli(*CBSA, "shipments", "check", str(path))
    assert result.exit_code == 1  # some lines could not be read; the rest were still checked
    rows = {r["line"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert {n: r["verdict"] for n, r in rows.items()} == {
        "2": "authorised",
        "3": "refused",  # the 1 remaining unit went to line 2
        "4": "refused",
        "5": "bad_line",
        "6": "bad_line",  # no such permit
        "7": "bad_line",
        "8": "bad_line",
        "9": "refused",
    }
    assert rows["3"]["reasons"] == "quantity 1 is above the 0 remaining on line 1"
    assert rows["4"]["reasons"].startswith("suspended on 2020-10-05")
    assert rows["5"]["reasons"] == "shipped_on: '2020-13-01' is not a date (YYYY-MM-DD)"
    assert rows["6"]["reasons"] == "no permit EXP-404"
    assert rows["7"]["reasons"] == "quantity: 'one' is not a whole number"
    assert rows["8"]["reasons"] == "missing column(s) quantity"
    assert "destination GB differs from the permit's TR" in rows["9"]["reasons"]
    assert "bad lines: 5, 6, 7, 8" in result.stderr
    out = tmp_path / "verdicts.jsonl"
    jsonl = cli(*CBSA, "shipments", "check", str(path), "--format", "jsonl", "--output", str(out))
    assert jsonl.exit_code == 1 and jsonl.stdout == ""
    first = json.loads(out.read_text().splitlines()[0])
    assert first == {
        "line": 2,
        "declaration_id": "CBSA-1",
        "permit": "EXP-2020-104513",
        "shipped_on": "2020-09-15",
        "verdict": "authorised",
        "reasons": [],
        "diversion_flags": [],
    }


def test_a_declaration_file_is_answered_with_holds_and_flags_as_a_single_check(
    cli: Invoke, tmp_path: Path
) -> None:
    """Notice 992's hold in December 2019, and the flags raised on 12 Apr 2021 with their source."""
    path = tmp_path / "declarations.csv"
    path.write_text(
        "declaration_id,shipped_on,permit,line_no,quantity\n"
        "CBSA-H,2019-12-10,EXP-2019-100311,1,1\n"
        "CBSA-F,2021-05-03,EXP-2020-104513,1,1\n"
    )
    result = cli(*CBSA, "shipments", "check", str(path))
    assert result.exit_code == 0, result.stderr
    held, flagged = list(csv.DictReader(io.StringIO(result.stdout)))
    assert held["verdict"] == "refused" and "on hold under TR-2019-MORATORIUM" in held["reasons"]
    assert held["diversion_flags"] == ""  # raised later than the day asked about
    assert flagged["verdict"] == "refused" and flagged["reasons"].startswith("cancelled on 2021-04-12")
    assert flagged["diversion_flags"].count("found breached") == 3
    for number, day in (("EXP-2019-100311", "2019-12-10"), ("EXP-2020-104513", "2021-05-03")):
        single = cli(*CBSA, "authorisations", "check", "--permit", number, "--date", day, "--line", "1:1",
                     "-f", "json")  # fmt: skip
        answer = json.loads(single.stdout)
        row = held if number == "EXP-2019-100311" else flagged
        assert "; ".join(r["message"] for r in answer["reasons"]) == row["reasons"]
        assert len(answer["diversion_flags"]) == row["diversion_flags"].count("found breached")


def test_a_file_without_a_required_column_is_refused_in_one_line(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("declaration_id,permit\nX,Y\n")
    result = cli(*CBSA, "shipments", "check", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: header: line 1: missing column(s) shipped_on, quantity; "
        "need declaration_id, shipped_on, permit, quantity"
    )


def test_record_resubmit_reverse_and_usage(own_cli: tuple[Invoke, ExportGuard]) -> None:
    cli, _ = own_cli
    record = (*CBSA, "shipments", "record", "--declaration", "CBSA-9", "--permit", "EXP-2020-104513")
    first = cli(*record, "--date", "2020-09-15", "--line", "1:1", "-f", "json")
    assert first.exit_code == 0, first.output + first.stderr
    again = cli(*record, "--date", "2020-09-15", "--line", "1:1", "-f", "json")
    assert json.loads(again.stdout)["already_recorded"] is True
    over = cli(
        *CBSA, "shipments", "record", "--declaration", "CBSA-10", "--permit", "EXP-2020-104513",
        "--date", "2020-09-16", "--line", "1:1",
    )  # fmt: skip
    assert over.exit_code == 2
    assert over.stderr.strip().endswith("lines[0].quantity: quantity 1 is above the 0 remaining on line 1")
    usage = json.loads(cli("shipments", "usage", "--permit", "EXP-2020-104513", "-f", "json").stdout)
    assert usage[0]["permit"] == "EXP-2020-104513/v1 (exhausted)"
    back = cli(
        *CBSA,
        "shipments",
        "reverse",
        "--declaration",
        "CBSA-9-R",
        "--reverses",
        "CBSA-9",
        "--date",
        "2020-09-20",
        "--reason",
        "returned",
    )
    assert back.exit_code == 0, back.stderr
    usage = json.loads(cli("shipments", "usage", "--permit", "EXP-2020-104513", "-f", "json").stdout)
    assert (usage[0]["shipped_quantity"], usage[0]["remaining_quantity"]) == (2, 1)
    then = json.loads(
        cli("shipments", "usage", "--permit", "EXP-2020-104513", "--as-of", "2020-09-01", "-f", "json").stdout
    )
    assert then[0]["shipped_quantity"] == 0


FEED = """declaration_id,shipped_on,permit,line_no,quantity,destination,port
CBSA-21,2020-09-15,EXP-2019-100311,1,1,TR,YYZ
CBSA-22,2020-09-15,EXP-2020-104513,1,2,TR,YYZ
CBSA-21,2020-09-15,EXP-2019-100311,1,1,TR,YYZ
CBSA-23,2020-09-15,EXP-404,1,1,TR,YYZ
CBSA-24,2020-09-15,EXP-2019-100311,1,1,TR,YUL
CBSA-24,2020-09-15,EXP-2019-100311,1,1,TR,YYZ
CBSA-25,2020-09-15,EXP-2020-104513,1,1,TR,YYZ
"""


def test_a_declaration_file_is_recorded_and_recording_it_again_changes_nothing(
    own_cli: tuple[Invoke, ExportGuard], tmp_path: Path
) -> None:
    cli, _ = own_cli
    path = tmp_path / "feed.csv"
    path.write_text(FEED)
    first = cli(*CBSA, "shipments", "record-file", str(path), "--batch-size", "2")
    assert first.exit_code == 1, first.stderr  # not every line was recorded
    rows = list(csv.DictReader(io.StringIO(first.stdout)))
    assert [(r["line"], r["declaration_id"], r["port"], r["verdict"], r["reasons"]) for r in rows] == [
        ("2", "CBSA-21", "YYZ", "recorded", ""),
        (
            "3",
            "CBSA-22",
            "YYZ",
            "refused",
            "lines[0].quantity: quantity 2 is above the 1 remaining on line 1",
        ),
        ("4", "CBSA-21", "YYZ", "recorded", ""),
        ("5", "CBSA-23", "YYZ", "not_found", "permit: no permit EXP-404"),
        (
            "6",
            "CBSA-24",
            "YUL",
            "bad_line",
            "port: differs between the lines of declaration CBSA-24: 'YUL' on line 6, 'YYZ' on line 7",
        ),
        (
            "7",
            "CBSA-24",
            "YYZ",
            "bad_line",
            "port: differs between the lines of declaration CBSA-24: 'YUL' on line 6, 'YYZ' on line 7",
        ),
        ("8", "CBSA-25", "YYZ", "recorded", ""),
    ]
    assert first.stderr.strip() == (
        "7 lines: 3 recorded, 0 already recorded, 1 refused, 0 conflict, 1 not found, 2 bad line; "
        "bad lines: 6, 7"
    )
    usage = json.loads(cli("shipments", "usage", "--permit", "EXP-2019-100311", "-f", "json").stdout)
    assert usage[0]["shipped_quantity"] == 2
    out = tmp_path / "verdicts.jsonl"
    again = cli(*CBSA, "shipments", "record-file", str(path), "--format", "jsonl", "--output", str(out))
    assert again.exit_code == 1 and again.stdout == ""
    verdicts = [json.loads(line) for line in out.read_text().splitlines()]
    assert verdicts[0] == {
        "line": 2,
        "declaration_id": "CBSA-21",
        "permit": "EXP-2019-100311",
        "shipped_on": "2020-09-15",
        "port": "YYZ",
        "verdict": "already_recorded",
        "reasons": [],
        "diversion_flags": [],
    }
    assert [v["verdict"] for v in verdicts].count("already_recorded") == 3
    usage = json.loads(cli("shipments", "usage", "--permit", "EXP-2019-100311", "-f", "json").stdout)
    assert usage[0]["shipped_quantity"] == 2
    good = tmp_path / "good.csv"
    good.write_text(FEED.splitlines()[0] + "\nCBSA-26,2020-09-16,EXP-2019-100311,1,1,TR,YYZ\n")
    assert cli(*CBSA, "shipments", "record-file", str(good), "-o", "-").exit_code == 0


def test_record_file_refuses_bad_input_in_one_line(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("declaration_id,permit\nX,Y\n")
    result = cli(*CBSA, "shipments", "record-file", str(path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.strip() == (
        "error: header: line 1: missing column(s) shipped_on, quantity; "
        "need declaration_id, shipped_on, permit, quantity"
    )
    missing = cli(*CBSA, "shipments", "record-file", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "does not exist" in missing.stderr
    anonymous = cli("shipments", "record-file", str(path))
    assert anonymous.exit_code == 2 and anonymous.stderr.startswith("error: token:")
    auditor = cli("--token", "demo-auditor", "shipments", "record-file", str(path))
    assert (auditor.exit_code, auditor.stderr.strip()) == (2, "error: role 'auditor' may not record shipment")


def test_exporter_asks_for_a_reversal_and_an_officer_approves(own_cli: tuple[Invoke, ExportGuard]) -> None:
    cli, _ = own_cli
    wescam, officer = ("--token", "demo-exporter-wescam"), ("--token", "demo-officer-tremblay")
    record = (*wescam, "shipments", "record", "--declaration", "W-1", "--permit", "EXP-2020-104513")
    assert cli(*record, "--date", "2020-09-15", "--line", "1:1").exit_code == 0
    ask = (
        "shipments", "request-reversal", "--declaration", "W-1-R", "--reverses", "W-1",
        "--date", "2020-09-20", "--reason", "returned", "-f", "json",
    )  # fmt: skip
    refused = cli(*wescam, "shipments", "reverse", *ask[2:-2])
    assert refused.exit_code != 0 and "may not reverse shipment" in refused.stderr
    asked = cli(*wescam, *ask)
    assert asked.exit_code == 0, asked.stderr
    request = json.loads(asked.stdout)
    assert request["state"] == "requested"
    listed = json.loads(
        cli(*officer, "shipments", "reversal-requests", "--state", "requested", "-f", "json").stdout
    )
    assert [r["id"] for r in listed] == [request["id"]]
    self_approved = cli(*wescam, "shipments", "approve-reversal", str(request["id"]))
    assert self_approved.exit_code != 0
    approved = cli(*officer, "shipments", "approve-reversal", str(request["id"]), "-f", "json")
    assert approved.exit_code == 0, approved.stderr
    assert json.loads(approved.stdout)["decided_by"] == "officer.tremblay"
    usage = json.loads(cli("shipments", "usage", "--permit", "EXP-2020-104513", "-f", "json").stdout)
    assert usage[0]["shipped_quantity"] == 2  # the demo's two, W-1 given back
