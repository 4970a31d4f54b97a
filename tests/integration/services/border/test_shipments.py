"""Shipments: idempotent by declaration, drawn per line in quantity and value, reversed never edited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from exportguard.db.models import AuditEvent, PermitLineUsage, Shipment
from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import Conflict, InvalidInput, NotFound, NotPermitted
from exportguard.domain.permits import PermitCommand
from exportguard.domain.shipments import ExportNotAuthorised
from exportguard.services.border import shipments, usage
from exportguard.services.kernel import audit
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.permits import queries as permit_queries
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, MINISTER, OFFICER, issued, world

CUSTOMS = Actor("customs.cbsa", Role.CUSTOMS)


def ship(
    permit_id: int,
    qty: int,
    day: date = date(2020, 6, 18),
    declaration: str = "D-1",
    value: Decimal | None = None,
) -> shipments.ShipmentInput:
    return shipments.ShipmentInput(
        declaration_id=declaration,
        permit_id=permit_id,
        shipped_on=day,
        port="Toronto Pearson",
        lines=[shipments.ShipmentLineInput(permit_line_no=1, quantity=qty, value=value)],
    )


def _count(eg: ExportGuard, model: type[AuditEvent] | type[Shipment]) -> int:
    with eg.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _balance(eg: ExportGuard) -> list[tuple[int, Decimal]]:
    with eg.read() as s:
        return [(u.quantity, u.value) for u in s.scalars(select(PermitLineUsage))]


def test_a_shipment_draws_on_the_permit_and_is_audited(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with eg.uow(CUSTOMS) as uow:
        view = shipments.record_shipment(uow, ship(permit.id, 3))
    assert [(ln.quantity, ln.value) for ln in view.lines] == [(3, "4500000.00")]
    assert view.already_recorded is False
    with eg.read() as s:
        shown = permit_queries.get_permit(s, OFFICER, permit.id)
        event = s.scalars(select(AuditEvent).where(AuditEvent.command == "record_shipment")).one()
    assert (shown.lines[0].shipped_quantity, shown.lines[0].remaining_quantity) == (3, 1)
    assert (event.subject_ref, event.effective_date, event.principal) == (
        "D-1",
        date(2020, 6, 18),
        "customs.cbsa",
    )
    assert _balance(eg) == [(3, Decimal("4500000.00"))]


def test_the_same_declaration_twice_is_drawn_once(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with eg.uow(CUSTOMS) as uow:
        first = shipments.record_shipment(uow, ship(permit.id, 2))
    before = (_count(eg, AuditEvent), _count(eg, Shipment), _balance(eg))
    with eg.uow(CUSTOMS) as uow:
        again = shipments.record_shipment(uow, ship(permit.id, 2))
    assert (again.id, again.already_recorded) == (first.id, True)
    assert (_count(eg, AuditEvent), _count(eg, Shipment), _balance(eg)) == before


@pytest.mark.parametrize(
    ("changed", "field"),
    [
        ({"qty": 1}, "lines[0].quantity"),
        ({"day": date(2020, 6, 19)}, "shipped_on"),
        ({"value": Decimal("100.00")}, "lines[0].value"),
    ],
)
def test_a_declaration_id_reused_with_other_content_names_the_field(
    eg: ExportGuard, changed: dict[str, object], field: str
) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 2))
    args: dict[str, object] = {"qty": 2, **changed}
    with pytest.raises(Conflict) as err, eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, **args))  # type: ignore[arg-type]
    assert err.value.status == 409
    assert [p.field for p in err.value.problems] == ["declaration_id", field]


def test_never_above_what_remains_in_quantity_or_value(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)  # 4 x 1,500,000.00 CAD licensed
    with eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 3))
    with pytest.raises(ExportNotAuthorised) as err, eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 2, declaration="D-2"))
    assert [(p.field, p.message) for p in err.value.problems] == [
        ("lines[0].quantity", "quantity 2 is above the 1 remaining on line 1")
    ]
    # A declared value counts against the licensed value: 1 unit declared at 1,600,000.00 is too much.
    with pytest.raises(ExportNotAuthorised) as err, eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 1, declaration="D-3", value=Decimal("1600000.00")))
    assert [p.field for p in err.value.problems] == ["lines[0].value"]
    assert "1500000.00 remaining" in err.value.problems[0].message
    assert _count(eg, Shipment) == 1


def test_refused_unless_the_permit_is_active_on_the_day(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.SUSPEND, Act(reason="review", effective_date=date(2020, 10, 5))
        )
    # The question of the case: was a shipment on 2020-10-10 authorised? No: suspended on 2020-10-05.
    with pytest.raises(ExportNotAuthorised, match="suspended on 2020-10-05"), eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 1, day=date(2020, 10, 10)))
    with pytest.raises(ExportNotAuthorised, match="not yet issued"), eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 1, day=date(2020, 5, 1)))
    expired = r"expired on 2021-07-01 \(valid to 2021-06-30\)"
    with pytest.raises(ExportNotAuthorised, match=expired), eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 1, day=date(2021, 7, 1)))
    with eg.uow(CUSTOMS) as uow:  # before the suspension it was authorised
        shipments.record_shipment(uow, ship(permit.id, 1, day=date(2020, 10, 4)))


def test_only_roles_that_record_exports(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with pytest.raises(NotPermitted), eg.uow(AUDITOR) as uow:
        shipments.record_shipment(uow, ship(permit.id, 1))


def _reverse(
    original: str, declaration: str, qty: int | None, day: date = date(2020, 7, 2)
) -> shipments.ReversalInput:
    return shipments.ReversalInput(
        declaration_id=declaration,
        reverses=original,
        shipped_on=day,
        reason="returned unused",
        lines=None if qty is None else [shipments.ReversalLineInput(permit_line_no=1, quantity=qty)],
    )


def test_a_return_is_a_reversing_entry_never_an_edit(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 3))
    with eg.uow(CUSTOMS) as uow:
        part = shipments.reverse_shipment(uow, _reverse("D-1", "R-1", 1))
    assert (part.reverses, part.reason, part.lines[0].quantity, part.lines[0].value) == (
        "D-1",
        "returned unused",
        -1,
        "-1500000.00",
    )
    with eg.uow(CUSTOMS) as uow:  # the same reversal again is harmless
        assert shipments.reverse_shipment(uow, _reverse("D-1", "R-1", 1)).already_recorded
    with eg.uow(CUSTOMS) as uow:  # the rest of it: everything still shipped
        rest = shipments.reverse_shipment(uow, _reverse("D-1", "R-2", None, date(2020, 7, 3)))
    assert rest.lines[0].quantity == -2
    with pytest.raises(InvalidInput, match="already fully reversed"), eg.uow(CUSTOMS) as uow:
        shipments.reverse_shipment(uow, _reverse("D-1", "R-3", None))
    with pytest.raises(NotFound), eg.uow(CUSTOMS) as uow:
        shipments.reverse_shipment(uow, _reverse("D-404", "R-4", 1))
    assert _balance(eg) == [(0, Decimal("0.00"))]
    with eg.read() as s:
        original = s.scalars(select(Shipment).where(Shipment.declaration_id == "D-1")).one()
        assert [ln.quantity for ln in original.lines] == [3]  # untouched
        # As of 2020-07-02 one unit had come back; from 2020-07-03 all three.
        report = usage.permit_usage(s, OFFICER, permit.id, as_of=date(2020, 7, 2), today=date(2020, 8, 1))
        assert report.lines[0].shipped_quantity == 2
        commands = [e.command for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
        assert commands.count("reverse_shipment") == 2
        assert audit.verify(s, AUDITOR).ok


def test_a_reversal_gives_back_no_more_than_was_shipped(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 2))
    with pytest.raises(InvalidInput) as err, eg.uow(CUSTOMS) as uow:
        shipments.reverse_shipment(uow, _reverse("D-1", "R-1", 3))
    assert [p.field for p in err.value.problems] == ["lines[1].quantity"]
    with pytest.raises(InvalidInput, match="shipped_on"), eg.uow(CUSTOMS) as uow:
        shipments.reverse_shipment(uow, _reverse("D-1", "R-1", 1, day=date(2020, 6, 1)))


def test_an_amended_permit_still_counts_what_its_earlier_version_shipped(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 3))
    with eg.uow(MINISTER) as uow:  # EIPA s.10(1): a new version, validity extended
        amended = permits.amend_permit(
            uow, permit.id, permits.AmendInput(reason="longer validity", effective_date=date(2020, 7, 1))
        )
    with pytest.raises(ExportNotAuthorised) as err, eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(amended.id, 2, day=date(2020, 7, 2), declaration="D-2"))
    assert err.value.problems[0].message == "quantity 2 is above the 1 remaining on line 1"
    with eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(amended.id, 1, day=date(2020, 7, 2), declaration="D-3"))
    with eg.read() as s:
        report = usage.permit_usage(s, OFFICER, permit.number, as_of=None, today=date(2020, 8, 1))
    assert (report.version, report.lines[0].shipped_quantity, report.exhausted) == (2, 4, True)
