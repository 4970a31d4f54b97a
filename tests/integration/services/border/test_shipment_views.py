"""What readers see of a shipment entry: the same view however it is built, reversals named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from exportguard.db.models import Shipment
from exportguard.domain.access import Actor, Role
from exportguard.domain.shipments import DeclaredLine
from exportguard.services.border import permit_facts, shipment_views, shipments
from exportguard.services.system import ExportGuard
from tests.factories import issued, world

CUSTOMS = Actor("customs.cbsa", Role.CUSTOMS)


def _export(permit_id: int, declaration: str, qty: int, day: date) -> shipments.ShipmentInput:
    return shipments.ShipmentInput(
        declaration_id=declaration,
        permit_id=permit_id,
        shipped_on=day,
        port="Toronto Pearson",
        lines=[shipments.ShipmentLineInput(permit_line_no=1, quantity=qty)],
    )


def _recorded(eg: ExportGuard) -> int:
    permit = issued(eg, world(eg), quantity=6)
    with eg.uow(CUSTOMS) as uow:  # recorded out of date order: the list is in date order
        shipments.record_shipment(uow, _export(permit.id, "D-2", 2, date(2020, 7, 1)))
        uow.commit()
        shipments.record_shipment(uow, _export(permit.id, "D-1", 3, date(2020, 6, 18)))
        uow.commit()
    with eg.uow(CUSTOMS) as uow:
        shipments.reverse_shipment(
            uow,
            shipments.ReversalInput(
                declaration_id="R-1",
                reverses="D-1",
                shipped_on=date(2020, 7, 9),
                reason="returned for repair",
                lines=[shipments.ReversalLineInput(permit_line_no=1, quantity=1)],
            ),
        )
    return permit.id


def test_the_list_in_date_order_with_each_reversal_naming_its_entry(eg: ExportGuard) -> None:
    permit_id = _recorded(eg)
    with eg.read() as s:
        views = shipment_views.list_shipments(s, permit_id)
    assert [(v.declaration_id, v.shipped_on, v.reverses) for v in views] == [
        ("D-1", date(2020, 6, 18), None),
        ("D-2", date(2020, 7, 1), None),
        ("R-1", date(2020, 7, 9), "D-1"),
    ]
    assert [(ln.permit_line_no, ln.item_code, ln.quantity) for ln in views[2].lines] == [(1, "2-15", -1)]
    assert views[2].reason == "returned for repair"
    assert all(v.permit_number.endswith("/v1") for v in views)


def test_built_from_the_permit_facts_it_is_the_same_view(eg: ExportGuard) -> None:
    permit_id = _recorded(eg)
    with eg.read() as s:
        entry = s.scalars(select(Shipment).where(Shipment.declaration_id == "D-1")).one()
        facts = permit_facts.facts_for_drawdown(s, permit_id)
        assert facts is not None
        assert shipment_views.view_from_facts(entry, facts) == shipment_views.shipment_view(s, entry)


def test_the_declaration_an_entry_was_recorded_from(eg: ExportGuard) -> None:
    permit_id = _recorded(eg)
    with eg.read() as s:
        entry = s.scalars(select(Shipment).where(Shipment.declaration_id == "D-2")).one()
        declaration = shipment_views.declaration_of(s, entry)
        value = entry.lines[0].value
    assert (declaration.permit_id, declaration.shipped_on, declaration.port) == (
        permit_id,
        date(2020, 7, 1),
        "Toronto Pearson",
    )
    assert declaration.lines == (DeclaredLine(1, 2, Decimal(value)),)


def test_the_audit_form_leaves_out_what_is_not_the_entry_itself(eg: ExportGuard) -> None:
    permit_id = _recorded(eg)
    with eg.read() as s:
        [first, *_] = shipment_views.list_shipments(s, permit_id)
    form = first.audit_form()
    assert not {"id", "recorded_at", "already_recorded"} & set(form)
    shown = (form["declaration_id"], form["shipped_on"], form["lines"][0]["quantity"])
    assert shown == ("D-1", "2020-06-18", 3)
