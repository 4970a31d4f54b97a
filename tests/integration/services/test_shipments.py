"""Shipments: idempotent by declaration, never above what remains, only while the permit is active."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from exportguard.db.models import AuditEvent, Shipment
from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import Conflict, NotPermitted, QuantityExceeded
from exportguard.domain.permits import PermitCommand
from exportguard.services import permit_queries, permits, shipments
from exportguard.services.common import Act
from exportguard.services.context import ExportGuard
from tests.factories import AUDITOR, MINISTER, OFFICER, issued, world

CUSTOMS = Actor("customs.cbsa", Role.CUSTOMS)


def _ship(
    permit_id: int, qty: int, day: date = date(2020, 6, 18), declaration: str = "D-1"
) -> shipments.ShipmentInput:
    return shipments.ShipmentInput(
        declaration_id=declaration,
        permit_id=permit_id,
        shipped_on=day,
        port="Toronto Pearson",
        lines=[shipments.ShipmentLineInput(permit_line_no=1, quantity=qty)],
    )


def _count(eg: ExportGuard, model: type[AuditEvent] | type[Shipment]) -> int:
    with eg.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_a_shipment_draws_on_the_permit_and_is_audited(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with eg.uow(CUSTOMS) as uow:
        view = shipments.record_shipment(uow, _ship(permit.id, 3))
    assert [(ln.quantity, ln.value) for ln in view.lines] == [(3, "4500000.00")]
    with eg.read() as s:
        shown = permit_queries.get_permit(s, OFFICER, permit.id)
        event = s.scalars(select(AuditEvent).where(AuditEvent.command == "record_shipment")).one()
    assert (shown.lines[0].shipped_quantity, shown.lines[0].remaining_quantity) == (3, 1)
    assert (event.subject_ref, event.effective_date, event.principal) == (
        "D-1",
        date(2020, 6, 18),
        "customs.cbsa",
    )


def test_the_same_declaration_twice_changes_nothing(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with eg.uow(CUSTOMS) as uow:
        first = shipments.record_shipment(uow, _ship(permit.id, 2))
    before = (_count(eg, AuditEvent), _count(eg, Shipment))
    with eg.uow(CUSTOMS) as uow:
        again = shipments.record_shipment(uow, _ship(permit.id, 2))
    assert again.id == first.id
    assert (_count(eg, AuditEvent), _count(eg, Shipment)) == before
    with pytest.raises(Conflict, match="other content"), eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, _ship(permit.id, 1))


def test_never_above_what_remains(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, _ship(permit.id, 3))
    with pytest.raises(QuantityExceeded) as err, eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, _ship(permit.id, 2, declaration="D-2"))
    assert [p.field for p in err.value.problems] == ["lines[1].quantity"]
    assert _count(eg, Shipment) == 1


def test_refused_unless_the_permit_is_active_on_the_day(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.SUSPEND, Act(reason="review", effective_date=date(2020, 10, 5))
        )
    # The question of the case: was a shipment on 2020-10-10 authorised? No: suspended on 2020-10-05.
    with pytest.raises(Conflict, match="suspended on 2020-10-10"), eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, _ship(permit.id, 1, day=date(2020, 10, 10)))
    with pytest.raises(Conflict, match="not yet issued"), eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, _ship(permit.id, 1, day=date(2020, 5, 1)))
    with pytest.raises(Conflict, match="expired"), eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, _ship(permit.id, 1, day=date(2021, 7, 1)))
    with eg.uow(CUSTOMS) as uow:  # before the suspension it was authorised
        shipments.record_shipment(uow, _ship(permit.id, 1, day=date(2020, 10, 4)))


def test_only_roles_that_record_exports(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with pytest.raises(NotPermitted), eg.uow(AUDITOR) as uow:
        shipments.record_shipment(uow, _ship(permit.id, 1))
