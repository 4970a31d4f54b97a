"""A declaration file against a snapshot of permits: verdicts per line, bad lines by number."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from exportguard.domain.access import Actor, Role
from exportguard.domain.authorisation import Drawn
from exportguard.domain.errors import InvalidInput
from exportguard.services.border.circumstances import Circumstances
from exportguard.services.border.declarations import check_file
from exportguard.services.border.read_model import Snapshot
from tests.unit.domain.test_authorisation import ISSUED, SUSPENDED, permit

CUSTOMS = Actor("customs.cbsa", Role.CUSTOMS)
PERMIT = permit(ISSUED, SUSPENDED)  # EXP-2020-104513, id 1: line 1, 3 x 2-15; line 2, 7 x 2-21
SNAPSHOT = Snapshot({PERMIT.number: [PERMIT]}, {PERMIT.id: PERMIT}, {11: Drawn(1, Decimal("1200000.00"))})


def verdicts(text: str, actor: Actor = CUSTOMS) -> list[tuple[int, str, tuple[str, ...]]]:
    return [
        (v.line, v.verdict, v.reasons)
        for v in check_file(io.StringIO(text), SNAPSHOT, actor, Circumstances())
    ]


def test_rows_draw_on_what_earlier_rows_took_and_bad_rows_do_not_stop_the_rest() -> None:
    text = (
        "permit,shipped_on,quantity,declaration_id,value,line_no\n"
        "EXP-2020-104513,2020-09-15,1,A,,1\n"
        "EXP-2020-104513,2020-09-15,x,B,,1\n"
        "\n"
        "EXP-2020-104513,2020-09-15,1,C,10.001,1\n"
        "EXP-2020-104513,2020-09-15,2,D,,1\n"
        "1,2020-10-06,1,E,,1\n"
        "EXP-2020-104513,2020-09-15\n"
        ",2020-09-15,1,G,,1\n"
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
    assert verdicts("declaration_id,shipped_on,permit,quantity\nA,2020-09-15,EXP-2020-104513,1\n", other) == [
        (2, "bad_line", ("no permit EXP-2020-104513",))
    ]
    with pytest.raises(InvalidInput, match="missing column"):
        verdicts("declaration_id,permit\nA,EXP-2020-104513\n")
