"""The demo's annual reports: the 2019-2021 case as the transparency reports tell it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from exportguard.db.models import Permit, PermitLine, Shipment, ShipmentLine
from exportguard.demo.loader import load_case
from exportguard.services.system import ExportGuard
from exportguard.services.transparency import annual, register


def test_the_2020_and_2021_reports_tell_the_case(eg: ExportGuard) -> None:
    load_case(eg)
    with eg.read() as s:
        r2020 = annual.annual_report(s, register.PUBLIC_READER, 2020)
        r2021 = annual.annual_report(s, register.PUBLIC_READER, 2021)
        shipped_to_tr = s.scalar(
            select(func.sum(ShipmentLine.value))
            .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
            .join(Permit, Permit.id == Shipment.permit_id)
            .join(PermitLine, PermitLine.id == ShipmentLine.permit_line_id)
            .where(Permit.destination_code == "TR", PermitLine.item_code.like("2-%"))
            .where(Shipment.shipped_on.between(date(2020, 1, 1), date(2020, 12, 31)))
        )
    tr = {tuple(f.key): f for f in r2020.by_destination}[("TR",)]
    assert shipped_to_tr and tr.value == Decimal(shipped_to_tr), "Turkey's figure is the demo's shipments"
    acts_2020 = {(a.on, a.act) for a in r2020.ministerial_acts if "TR" in a.destinations}
    assert (date(2020, 10, 5), "suspend") in acts_2020
    assert any(
        a.act == "cancel" and a.on.year == 2021 and "TR" in a.destinations for a in r2021.ministerial_acts
    )
    assert any(
        m.destination == "TR" and m.kind == "presumptive_denial" and m.change == "adopted"
        for m in r2020.measures
    )
    assert r2020.exceptions and all(e.destination == "TR" and e.ground for e in r2020.exceptions)
    assert r2020.summary.exceptions == len(r2020.exceptions)
