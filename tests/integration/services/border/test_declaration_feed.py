"""A declaration file recorded in batches: grouped by declaration, each row answered, safe to resend."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from exportguard.db.models import AuditEvent, PermitLineUsage, Shipment, ShipmentLine
from exportguard.domain.access import Actor
from exportguard.domain.errors import InvalidInput, NotPermitted
from exportguard.services.border import declaration_feed
from exportguard.services.border.declaration_feed import DeclarationFeed
from exportguard.services.permits import commands as permits
from exportguard.services.permits.views import PermitView
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, OFFICER, application_input, approved, issued, world
from tests.integration.services.border.test_shipments import CUSTOMS

HEADER = "declaration_id,shipped_on,permit,line_no,quantity,value,destination,consignee,port\n"
Row = tuple[int, str, str, tuple[str, ...]]  # line, declaration id, verdict, reasons


def record(eg: ExportGuard, text: str, actor: Actor = CUSTOMS, batch_size: int = 500) -> list[Row]:
    feed = DeclarationFeed(io.StringIO(HEADER + text), batch_size=batch_size)
    return [(v.line, v.declaration_id, v.verdict, v.reasons) for v in feed.record(eg, actor)]


def recorded(eg: ExportGuard) -> tuple[int, int, int, list[tuple[int, Decimal]]]:
    """Shipments, their lines, record_shipment audit events, and the balance of each permit line."""
    with eg.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Shipment)) or 0,
            s.scalar(select(func.count()).select_from(ShipmentLine)) or 0,
            s.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.command == "record_shipment")
            )
            or 0,
            [
                (u.quantity, u.value)
                for u in s.scalars(select(PermitLineUsage).order_by(PermitLineUsage.permit_line_id))
            ],
        )


def two_line_permit(eg: ExportGuard) -> PermitView:
    """Line 1: 7 x 2-15 at 1,500,000.00 CAD; line 2: 3 x 2-5 at 200,000.00 CAD."""
    w = world(eg)
    first = application_input(w).lines[0].model_dump()
    second = {**first, "line_no": 2, "item_code": "2-5", "quantity": 3, "unit_value": Decimal("200000.00")}
    app = approved(eg, w, lines=[first, second])
    with eg.uow(OFFICER) as uow:
        return permits.issue_permit(
            uow,
            app.id,
            permits.IssueInput(
                valid_from=date(2020, 5, 15),
                valid_to=date(2021, 6, 30),
                issued_on=date(2020, 5, 15),
                lines=[
                    permits.PermitLineInput(application_line_no=1, quantity=7),
                    permits.PermitLineInput(application_line_no=2, quantity=3),
                ],
            ),
        )


def test_rows_of_one_declaration_are_one_shipment_wherever_they_stand(eg: ExportGuard) -> None:
    permit = two_line_permit(eg)
    n = permit.number
    rows = record(
        eg,
        f"D-1,2020-06-18,{n},1,2,,TR,,YYZ\n"
        f"D-2,2020-06-18,{n},1,1,,TR,,YYZ\n"
        f"D-1,2020-06-18,{n},2,1,,TR,,YYZ\n",
    )
    assert rows == [(2, "D-1", "recorded", ()), (3, "D-2", "recorded", ()), (4, "D-1", "recorded", ())]
    # D-1: one shipment with two lines (2 on line 1, 1 on line 2); D-2: one line.
    assert recorded(eg) == (2, 3, 2, [(3, Decimal("4500000.00")), (1, Decimal("200000.00"))])
    with eg.read() as s:
        d1 = s.scalars(select(Shipment).where(Shipment.declaration_id == "D-1")).one()
        assert (d1.port, len(d1.lines)) == ("YYZ", 2)


def test_rows_that_disagree_are_bad_lines_naming_the_field(eg: ExportGuard) -> None:
    n = issued(eg, world(eg)).number
    rows = record(
        eg,
        f"D-1,2020-06-18,{n},1,1,,TR,,YYZ\n"
        f"D-1,2020-06-19,{n},1,1,,TR,,YUL\n"
        f"D-2,2020-06-18,{n},1,1,,TR,,YYZ\n",
    )
    reasons = (
        "shipped_on: differs between the lines of declaration D-1: '2020-06-18' on line 2, "
        "'2020-06-19' on line 3",
        "port: differs between the lines of declaration D-1: 'YYZ' on line 2, 'YUL' on line 3",
    )
    assert rows == [
        (2, "D-1", "bad_line", reasons),
        (3, "D-1", "bad_line", reasons),
        (4, "D-2", "recorded", ()),
    ]
    assert recorded(eg)[0] == 1


def test_bad_rows_are_reported_by_line_number_and_the_rest_recorded(eg: ExportGuard) -> None:
    n = issued(eg, world(eg)).number
    rows = record(
        eg,
        f"D-1,2020-13-01,{n},1,1,,TR,,YYZ\n"
        f"D-2,2020-06-18,{n},1,one,,TR,,YYZ\n"
        f"D-2,2020-06-18,{n},1,1,,TR,,YYZ\n"
        "\n"
        f",2020-06-18,{n},1,1,,TR,,YYZ\n"
        f"D-3,2020-06-18,{n}\n"
        f"D-4,2020-06-18,{n},1,1,,TR,,YYZ\n"
        f"D-5,2020-06-18,{n},1,1,,TR,,{'Y' * 121}\n"
        f"{'D' * 65},2020-06-18,{n},1,1,,TR,,YYZ\n",
    )
    assert rows == [
        (2, "D-1", "bad_line", ("shipped_on: '2020-13-01' is not a date (YYYY-MM-DD)",)),
        (3, "D-2", "bad_line", ("quantity: 'one' is not a whole number",)),
        (4, "D-2", "bad_line", ("declaration_id: line 3 of declaration D-2 cannot be read",)),
        (6, "", "bad_line", ("declaration_id: missing",)),
        (7, "D-3", "bad_line", ("missing column(s) quantity",)),
        (8, "D-4", "recorded", ()),
        (9, "D-5", "bad_line", ("port: longer than 120 characters",)),
        (10, "D" * 65, "bad_line", ("declaration_id: longer than 64 characters",)),
    ]
    assert recorded(eg)[0] == 1


def test_refusals_carry_every_reason_and_later_declarations_see_what_earlier_ones_left(
    eg: ExportGuard,
) -> None:
    n = issued(eg, world(eg), quantity=4).number
    rows = record(
        eg,
        f"D-1,2020-06-18,{n},1,3,,TR,,YYZ\n"
        f"D-2,2020-06-18,{n},1,2,,GB,,YYZ\n"
        f"D-3,2020-06-18,EXP-404,1,1,,TR,,YYZ\n"
        f"D-4,2020-06-18,{n},1,1,1600000.00,TR,,YYZ\n"
        f"D-5,2020-06-18,{n},1,1,,TR,,YYZ\n"
        f"D-6,2020-06-18,{n},1,2,,TR,,YYZ\n"
        f"D-6,2020-06-18,{n},1,-1,,TR,,YYZ\n",  # a negative row never offsets another
    )
    assert rows == [
        (2, "D-1", "recorded", ()),
        (
            3,
            "D-2",
            "refused",
            ("destination: destination GB differs from the permit's TR",),
        ),
        (4, "D-3", "not_found", ("permit: no permit EXP-404",)),
        (
            5,
            "D-4",
            "refused",
            ("lines[0].value: value 1600000.00 CAD is above the 1500000.00 remaining on line 1",),
        ),
        (6, "D-5", "recorded", ()),
        (7, "D-6", "refused", ("lines[1].quantity: must be positive",)),
        (8, "D-6", "refused", ("lines[1].quantity: must be positive",)),
    ]
    assert recorded(eg)[3] == [(4, Decimal("6000000.00"))]


def test_the_same_file_twice_draws_once(eg: ExportGuard) -> None:
    n = issued(eg, world(eg)).number
    text = (
        "".join(f"D-{k},2020-06-18,{n},1,1,,TR,,YYZ\n" for k in range(3))
        + f"D-0,2020-06-18,{n},1,1,1400000.00,TR,,YYZ\n"  # D-0's second row, on the same permit line
    )
    first = record(eg, text)
    assert [v for _, _, v, _ in first] == ["recorded"] * 4
    before = recorded(eg)
    assert before == (3, 3, 3, [(4, Decimal("5900000.00"))])  # D-0: one line of 2, 2,900,000.00
    again = record(eg, text)
    assert [(line, v) for line, _, v, _ in again] == [
        (2, "already_recorded"),
        (3, "already_recorded"),
        (4, "already_recorded"),
        (5, "already_recorded"),
    ]
    assert recorded(eg) == before
    # The same declaration id with other content is a conflict, and draws nothing either.
    assert record(eg, f"D-1,2020-06-18,{n},1,2,,TR,,YYZ\n") == [
        (
            2,
            "D-1",
            "conflict",
            (
                "declaration_id: already recorded for a different shipment",
                "lines[0].quantity: differs from the recorded 1",
            ),
        )
    ]
    assert recorded(eg) == before


def test_a_file_bigger_than_a_batch_is_recorded_one_transaction_per_batch(
    eg: ExportGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = issued(eg, world(eg), quantity=5).number
    text = "".join(f"D-{k},2020-06-18,{n},1,1,,TR,,YYZ\n" for k in range(7))
    units: list[Actor] = []
    real_uow = eg.uow
    monkeypatch.setattr(eg, "uow", lambda actor: units.append(actor) or real_uow(actor))
    rows = record(eg, text, batch_size=3)
    assert len(units) == 3  # 3 + 3 + 1 declarations
    assert [(line, v) for line, _, v, _ in rows] == [
        *((k, "recorded") for k in range(2, 7)),
        (7, "refused"),
        (8, "refused"),
    ]
    assert rows[-1][3] == ("lines[0].quantity: quantity 1 is above the 0 remaining on line 1",)
    assert recorded(eg)[3] == [(5, Decimal("7500000.00"))]


def test_a_crash_loses_only_the_batch_in_flight_and_the_file_can_be_sent_again(
    eg: ExportGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = issued(eg, world(eg)).number
    text = "".join(f"D-{k},2020-06-18,{n},1,1,,TR,,YYZ\n" for k in range(5))
    real = declaration_feed.record_declarations
    calls: list[int] = []

    def crash_on_the_second_batch(uow: Any, declared: Any) -> Any:
        calls.append(len(declared))
        if len(calls) == 2:
            raise ConnectionError("the database went away")
        return real(uow, declared)

    monkeypatch.setattr(declaration_feed, "record_declarations", crash_on_the_second_batch)
    verdicts = []
    with pytest.raises(ConnectionError):
        verdicts.extend(record(eg, text, batch_size=2))
    assert recorded(eg)[0] == 2  # the first batch is committed, the second rolled back
    monkeypatch.setattr(declaration_feed, "record_declarations", real)
    rows = record(eg, text, batch_size=2)
    assert [v for _, _, v, _ in rows] == ["already_recorded"] * 2 + ["recorded"] * 3
    assert recorded(eg)[3] == [(5, Decimal("7500000.00"))]


def test_exporters_record_only_against_their_own_permits(eg: ExportGuard) -> None:
    w = world(eg)
    n = issued(eg, w).number
    rival = type(w.exporter_actor())("exporter.rival", w.exporter_actor().role, w.exporter_id + 999)
    assert record(eg, f"D-1,2020-06-18,{n},1,1,,TR,,YYZ\n", rival)[0][2:] == (
        "not_found",
        (f"permit: no permit {n}",),
    )
    assert record(eg, f"D-1,2020-06-18,{n},1,1,,TR,,YYZ\n", w.exporter_actor())[0][2] == "recorded"


def test_the_header_the_batch_size_and_the_role_are_checked_before_anything_is_recorded(
    eg: ExportGuard,
) -> None:
    with pytest.raises(InvalidInput, match="missing column"):
        DeclarationFeed(io.StringIO("declaration_id,permit\nA,EXP-1\n"))
    with pytest.raises(InvalidInput, match="batch_size: must be from 1 to 1000"):
        DeclarationFeed(io.StringIO(HEADER), batch_size=0)
    with pytest.raises(InvalidInput, match="file: not UTF-8 text"):
        DeclarationFeed(io.TextIOWrapper(io.BytesIO(HEADER.encode() + b"D-1,2020-06-18,EXP-\xe9\n")))
    feed = DeclarationFeed(io.StringIO(HEADER + "D-1,2020-06-18,EXP-1,1,1,,TR,,YYZ\n"))
    with pytest.raises(NotPermitted):
        feed.record(eg, AUDITOR)
    assert recorded(eg)[0] == 0
