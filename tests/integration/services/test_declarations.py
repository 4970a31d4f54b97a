"""A declaration file against a snapshot of permits: verdicts per line, bad lines by number."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from exportguard.domain.access import Actor, Role
from exportguard.domain.authorisation import Drawn, LicensedLine, PermitFacts
from exportguard.domain.errors import InvalidInput
from exportguard.domain.permits import PermitCommand, PermitState, StateChange
from exportguard.services.declarations import check_file
from exportguard.services.permit_read_model import Snapshot

CUSTOMS = Actor("customs.cbsa", Role.CUSTOMS)
PERMIT = PermitFacts(
    id=5,
    number="EXP-1",
    version=1,
    holder_id=1,
    consignee_id=2,
    consignee="Baykar",
    destination="TR",
    issued_on=date(2020, 5, 22),
    valid_from=date(2020, 5, 22),
    valid_to=date(2021, 6, 30),
    history=(
        StateChange(PermitState.ACTIVE, PermitCommand.ISSUE, date(2020, 5, 22)),
        StateChange(PermitState.SUSPENDED, PermitCommand.SUSPEND, date(2020, 10, 5)),
    ),
    lines=(LicensedLine(1, 50, "2-15", 100, 3, Decimal("10.00"), "CAD"),),
)
SNAPSHOT = Snapshot({"EXP-1": [PERMIT]}, {5: PERMIT}, {50: Drawn(1, Decimal("10.00"))})


def verdicts(text: str, actor: Actor = CUSTOMS) -> list[tuple[int, str, tuple[str, ...]]]:
    return [(v.line, v.verdict, v.reasons) for v in check_file(io.StringIO(text), SNAPSHOT, actor)]


def test_rows_draw_on_what_earlier_rows_took_and_bad_rows_do_not_stop_the_rest() -> None:
    text = (
        "permit,shipped_on,quantity,declaration_id,value\n"
        "EXP-1,2020-09-15,1,A,\n"
        "EXP-1,2020-09-15,x,B,\n"
        "\n"
        "EXP-1,2020-09-15,1,C,10.001\n"
        "EXP-1,2020-09-15,2,D,\n"
        "5,2020-10-06,1,E,\n"
        "EXP-1,2020-09-15\n"
        ",2020-09-15,1,G,\n"
    )
    assert verdicts(text) == [
        (2, "authorised", ()),
        (3, "bad_line", ("quantity: 'x' is not a whole number",)),
        (5, "bad_line", ("value: '10.001' has more than two decimal places",)),
        (6, "refused", ("quantity 2 is above the 1 remaining on line 1",)),
        (7, "refused", ("suspended on 2020-10-05",)),
        (8, "bad_line", ("missing column(s) declaration_id, quantity",)),
        (9, "bad_line", ("permit: missing",)),
    ]


def test_exporters_see_only_their_own_permits_and_the_header_is_checked() -> None:
    other = Actor("exporter.rival", Role.EXPORTER, 99)
    assert verdicts("declaration_id,shipped_on,permit,quantity\nA,2020-09-15,EXP-1,1\n", other) == [
        (2, "bad_line", ("no permit EXP-1",))
    ]
    with pytest.raises(InvalidInput, match="missing column"):
        verdicts("declaration_id,permit\nA,EXP-1\n")
