"""The demo as a sandbox: loaded as it stood on a day, the later acts left to perform, then resumed."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from exportguard.adapters.clock import ShiftedClock
from exportguard.services.system import ExportGuard
from tests.cli.conftest import _invoke_on, url_of


def test_until_leaves_the_acts_after_the_day_and_a_full_load_resumes(
    committed_eg: ExportGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = _invoke_on(url_of(committed_eg), monkeypatch)
    loaded = cli("demo", "--no-serve", "--until", "2020-10-04")
    assert loaded.exit_code == 0, loaded.output
    assert "as it stood on 2020-10-04" in loaded.stdout

    def suspended_on_6_october() -> int:
        listed = cli(
            "permits",
            "list",
            "--destination",
            "TR",
            "--as-of",
            "2020-10-06",
            "--status",
            "suspended",
            "--format",
            "json",
        )
        return len(json.loads(listed.stdout))

    assert suspended_on_6_october() == 0
    snapshots = json.loads(cli("lists", "list", "--format", "json").stdout)
    assert [s["published"][:10] for s in snapshots] == ["2020-09-14"]  # the 2021 list comes later
    again = cli("demo", "--no-serve", "--until", "2020-10-04")
    assert "0 steps loaded" in again.stdout
    full = cli("demo", "--no-serve")
    assert full.exit_code == 0
    assert suspended_on_6_october() == 25
    assert cli("lists", "diff", "1", "2").exit_code == 0
    late = cli("demo", "--no-serve", "--until", "2020-10-04")
    assert "not the case as it stood then" in late.stderr


def test_shifted_clock_starts_on_the_day_and_runs_on() -> None:
    clock = ShiftedClock.starting_on(date(2020, 10, 5))
    assert clock.today() == date(2020, 10, 5)
    first = clock.now()
    assert first.tzinfo is UTC
    assert clock.now() >= first
    assert abs((datetime.now(UTC) + clock.offset) - clock.now()) < timedelta(seconds=1)
