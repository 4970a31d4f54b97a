"""`exportguard operator roll-up-exports`: the report's roll-up run by hand (operator mode)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from exportguard.db.models import ExportRollup
from exportguard.services.system import ExportGuard
from tests.cli.conftest import _invoke_on, url_of
from tests.factories import issued, ship, world


def test_the_operator_rolls_up_the_closed_days(
    committed_eg: ExportGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = committed_eg
    cli = _invoke_on(url_of(system), monkeypatch)
    w = world(system)
    permit = issued(system, w)
    ship(system, w, permit.id, "CBSA-1", date(2020, 6, 1), 2)
    first = cli("operator", "roll-up-exports")
    assert first.exit_code == 0, first.output
    assert "1 shipment line(s) rolled up (1 row(s) written)" in first.output
    again = cli("operator", "roll-up-exports")
    assert again.exit_code == 0 and "nothing new to roll up" in again.output
    with system.read() as s:
        row = s.scalars(select(ExportRollup)).one()
    assert (row.shipped_year, row.destination_code, row.item_code, row.quantity) == (2020, "TR", "2-15", 2)
