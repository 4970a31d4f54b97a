"""Post-shipment verification through the CLI: planned, done with its result, listed; internal."""

from __future__ import annotations

import json

from exportguard.services.system import ExportGuard
from tests.cli.conftest import Invoke

OFFICER = ("--token", "demo-officer-tremblay")


def test_a_check_is_planned_done_and_listed(own_cli: tuple[Invoke, ExportGuard]) -> None:
    cli, _ = own_cli
    planned = cli(*OFFICER, "verification", "plan", "--permit", "EXP-2020-104512", "--place",
                  "Baykar, Istanbul", "--on", "2020-11-02", "-f", "json")  # fmt: skip
    assert planned.exit_code == 0, planned.output + planned.stderr
    check = json.loads(planned.stdout)
    assert (check["permit"], check["state"], check["planned_by"]) == (
        "EXP-2020-104512",
        "planned",
        "officer.tremblay",
    )
    done = cli(*OFFICER, "verification", "result", str(check["id"]), "--result", "access_refused",
               "--notes", "Turkey refused access", "--on", "2020-11-03", "-f", "json")  # fmt: skip
    assert done.exit_code == 0, done.output + done.stderr
    assert (json.loads(done.stdout)["state"], json.loads(done.stdout)["result"]) == ("done", "access_refused")
    again = cli(*OFFICER, "verification", "result", str(check["id"]), "--result", "goods_in_place")
    assert again.exit_code == 2 and len(again.stderr.strip().splitlines()) == 1  # done once only
    listed = cli("verification", "list", "--permit", "exp-2020-104512", "-f", "json")
    assert [(c["id"], c["result"]) for c in json.loads(listed.stdout)] == [(check["id"], "access_refused")]
    assert json.loads(cli("verification", "list", "--permit", "EXP-2020-104513", "-f", "json").stdout) == []


def test_verification_is_internal_and_checks_its_input(own_cli: tuple[Invoke, ExportGuard]) -> None:
    cli, _ = own_cli
    exporter = cli("--token", "demo-exporter-wescam", "verification", "list")
    assert exporter.exit_code != 0 and "may not" in exporter.stderr
    unknown = cli(
        *OFFICER, "verification", "plan", "--permit", "EXP-404", "--place", "x", "--on", "2020-11-02"
    )
    assert unknown.exit_code == 2 and unknown.stderr.startswith("error: permit")
    bad = cli(*OFFICER, "verification", "result", "1", "--result", "maybe")
    assert bad.exit_code == 2
