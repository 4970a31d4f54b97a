"""The annual report and the ATT report from recorded shipments, acts and decisions (both databases)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from exportguard.adapters.clock import FixedClock
from exportguard.db.models import Assessment, Party, Permit, Shipment
from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import NotPermitted
from exportguard.domain.transparency import DisclosurePolicy
from exportguard.reports import annual_report as annual_document
from exportguard.reports import open_data
from exportguard.services.border import shipments
from exportguard.services.permits import bulk_actions
from exportguard.services.system import ExportGuard
from exportguard.services.transparency import annual, att, records, register
from tests.factories import AUDITOR, MINISTER, OFFICER, World, issued, world

PUBLIC = register.PUBLIC_READER
EXPORTER_NAME = "L3Harris Wescam"


def _ship(eg: ExportGuard, w: World, permit_id: int, declaration: str, on: date, quantity: int) -> None:
    with eg.uow(w.exporter_actor()) as uow:
        shipments.record_shipment(
            uow,
            shipments.ShipmentInput(
                declaration_id=declaration, permit_id=permit_id, shipped_on=on,
                lines=[shipments.ShipmentLineInput(permit_line_no=1, quantity=quantity)],
            ),
        )  # fmt: skip


@pytest.fixture
def case(eg: ExportGuard) -> tuple[World, list[int]]:
    """Two permits to Türkiye (2-15 at CAD 1,500,000 a unit), three shipments, one bulk suspension."""
    w = world(eg)
    ids = [issued(eg, w, quantity=4).id for _ in range(2)]
    _ship(eg, w, ids[0], "CBSA-2020-1", date(2020, 6, 1), 2)
    _ship(eg, w, ids[1], "CBSA-2020-2", date(2020, 7, 1), 1)
    _ship(eg, w, ids[1], "CBSA-2020-3", date(2020, 9, 30), 1)
    with eg.uow(MINISTER) as uow:
        bulk_actions.execute(
            uow,
            bulk_actions.BulkActInput.model_validate(
                {"command": "suspend", "scope": {"destination": "TR", "item_group": 2},
                 "reason": "diversion alleged", "effective_date": date(2020, 10, 5),
                 "decision_ref": "MIN-2020-10-05"}
            ),
        )  # fmt: skip
    return w, ids


def test_figures_are_actual_exports_summed_from_the_shipments(
    eg: ExportGuard, case: tuple[World, list[int]]
) -> None:
    with eg.read() as s:
        report = annual.annual_report(s, PUBLIC, 2020)
    assert report.summary.total_value == Decimal("6000000.00")
    assert [(f.key, f.quantity, f.value) for f in report.by_destination] == [
        (["TR"], 4, Decimal("6000000.00"))
    ]
    assert [(f.key, f.quantity) for f in report.by_destination_and_item] == [(["TR", "2-15"], 4)]
    assert report.by_region[0].key == ["Europe"]
    assert report.summary.permits_issued == 2 and report.country_names["TR"]
    assert [(a.act, a.permits, a.destinations, a.reason) for a in report.ministerial_acts] == [
        ("suspend", 2, ["TR"], "diversion alleged")
    ]
    assert report.tabling_deadline == date(2021, 5, 31)
    with eg.read() as s:
        assert annual.annual_report(s, PUBLIC, 2019).summary.total_value == 0
        assert register.report_years(s) == [2020]


def test_public_figures_withhold_what_officials_see(eg: ExportGuard, case: tuple[World, list[int]]) -> None:
    strict = DisclosurePolicy(min_exporters=2, threshold=Decimal("10000000"))
    with eg.read() as s:
        public = annual.annual_report(s, PUBLIC, 2020, policy=strict)
        full = annual.annual_report(s, OFFICER, 2020, public=False)
        with pytest.raises(NotPermitted):
            annual.annual_report(s, PUBLIC, 2020, public=False)
        with pytest.raises(NotPermitted):
            annual.annual_report(s, Actor("x", Role.EXPORTER, 1), 2020, public=False)
    assert public.by_destination[0].value is None and public.by_destination[0].quantity == 4
    assert public.by_destination[0].exporters is None, "how many exporters is not published either"
    assert full.by_destination[0].value == Decimal("6000000.00") and full.by_destination[0].exporters == 1


def test_as_of_reproduces_the_report_as_the_records_stood(
    eg: ExportGuard, case: tuple[World, list[int]]
) -> None:
    w, ids = case
    late = FixedClock(datetime(2021, 6, 15, 12, tzinfo=UTC))
    later = ExportGuard(eg.engine, eg.session_factory, late)
    _ship(later, w, ids[0], "CBSA-2020-LATE", date(2020, 9, 15), 1)  # declared after the report was tabled
    with eg.read() as s:
        tabled = annual.annual_report(s, PUBLIC, 2020, as_of=date(2021, 5, 31))
        now = annual.annual_report(s, PUBLIC, 2020)
        a = open_data.render("exports-by-destination", tabled, "csv")
        b = open_data.render(
            "exports-by-destination", annual.annual_report(s, PUBLIC, 2020, as_of=date(2021, 5, 31)), "csv"
        )
    assert tabled.summary.total_value == Decimal("6000000.00") and now.summary.total_value == Decimal(
        "7500000.00"
    )
    assert a == b, "the same records give byte-identical files"


def test_every_figure_can_be_traced_to_its_records(eg: ExportGuard, case: tuple[World, list[int]]) -> None:
    with eg.read() as s:
        report = annual.annual_report(s, AUDITOR, 2020, public=False)
        lines = records.cell_records(s, AUDITOR, 2020, destination="TR", item_code="2-15")
        with pytest.raises(NotPermitted):
            records.cell_records(s, PUBLIC, 2020)
    assert sum(r.quantity for r in lines) == report.by_destination_and_item[0].quantity
    assert sum(r.value for r in lines) == report.by_destination_and_item[0].value
    assert {r.declaration_id for r in lines} == {"CBSA-2020-1", "CBSA-2020-2", "CBSA-2020-3"}


def test_the_att_report_has_the_templates_columns_and_a_nil_report(
    eg: ExportGuard, case: tuple[World, list[int]]
) -> None:
    with eg.read() as s:
        report = att.att_report(s, PUBLIC, 2020)
    assert report.nil_report, "2-15 (imaging equipment) is not an Art. 2(1) category"
    body = open_data.render("att-exports", report, "csv").decode()
    assert body.splitlines()[0] == ",".join(c.name for c in open_data.DATASETS["att-exports"].columns)


def test_no_confidential_field_reaches_a_public_output(
    eg: ExportGuard, case: tuple[World, list[int]]
) -> None:
    """No exporter, consignee or end user name, permit number, declaration or internal text in any
    public dataset, the public report's JSON or its PDF."""
    with eg.read() as s:
        report = annual.annual_report(s, PUBLIC, 2020)
        att_report = att.att_report(s, PUBLIC, 2020)
        secrets = set(s.scalars(select(Party.name))) | set(s.scalars(select(Permit.number)))
        secrets |= set(s.scalars(select(Shipment.declaration_id)))
        secrets |= {t for t in s.scalars(select(Assessment.recommendation_rationale)) if t}
        reg = register.register(s, date(2020, 12, 31))
    outputs = [report.model_dump_json(), reg.model_dump_json()]
    for name in open_data.DATASETS:
        source = att_report if name.startswith("att-") else report
        outputs += [open_data.render(name, source, fmt).decode() for fmt in ("csv", "json")]
    pdf = annual_document.render_annual_report(report, {2020: {"TR": Decimal("6000000")}})
    outputs.append(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert EXPORTER_NAME in secrets
    leaks = [(secret, n) for n, text in enumerate(outputs) for secret in secrets if secret and secret in text]
    assert leaks == []
