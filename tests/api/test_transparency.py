"""The public register, the annual report and open data over HTTP: public without sign-in, the
full figures and the records behind them for officials only, English and French."""

from __future__ import annotations

import json
from datetime import date

import pytest

from exportguard.services.border import shipments
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.factories import World, issued


@pytest.fixture
def shipped(eg: ExportGuard, w: World) -> int:
    permit = issued(eg, w, quantity=4)
    with eg.uow(w.exporter_actor()) as uow:
        shipments.record_shipment(
            uow,
            shipments.ShipmentInput(
                declaration_id="CBSA-HTTP-1", permit_id=permit.id, shipped_on=date(2020, 6, 1),
                lines=[shipments.ShipmentLineInput(permit_line_no=1, quantity=2)],
            ),
        )  # fmt: skip
    return permit.id


def test_the_public_reads_the_report_and_register_without_signing_in(api: Api, shipped: int) -> None:
    report = api.get("/reports/annual/2020")
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["public"] and body["summary"]["total_value"] == "3000000.00"
    assert body["by_destination"][0]["exporters"] is None
    assert api.get("/register").json()["report_years"] == [2020]
    assert api.get("/reports/att/2020").json()["nil_report"] is True
    assert {d["dataset"] for d in api.get("/open-data").json()} >= {"exports-by-destination", "att-exports"}


OFFICIALS = [("officer", 200), ("director", 200), ("minister", 200), ("auditor", 200)]
OTHERS = [(None, 401), ("exporter", 403), ("advisor", 403), ("customs", 403)]


@pytest.mark.parametrize(("who", "status"), OTHERS + OFFICIALS)
def test_full_figures_and_their_records_are_for_officials(
    api: Api, shipped: int, who: str | None, status: int
) -> None:
    assert api.get("/reports/annual/2020/full", who).status_code == status
    assert api.get("/reports/att/2020/full", who).status_code == status
    records = api.get("/reports/annual/2020/records?destination=TR", who)
    assert records.status_code == status
    if status == 200:
        assert [r["declaration_id"] for r in records.json()] == ["CBSA-HTTP-1"]
        assert api.get("/reports/annual/2020/full", who).json()["by_destination"][0]["exporters"] == 1


def test_bad_years_and_names_are_refused_clearly(api: Api) -> None:
    assert api.get("/reports/annual/1800").status_code == 422
    assert api.get("/reports/annual/twenty").status_code == 422
    assert api.get("/reports/annual/2020?as_of=not-a-date").status_code == 422
    assert api.client.get("/open-data/nothing/2020.csv").status_code == 404
    assert api.client.get("/open-data/exports-by-destination/2020.xlsx").status_code == 404
    assert api.client.get("/public/reports/2020/charts/pie.svg").status_code == 404
    assert api.client.get("/public/reports/99999").status_code == 422


def test_open_data_files_are_stable_downloads(api: Api, shipped: int) -> None:
    first = api.client.get("/open-data/exports-by-destination/2020.csv")
    again = api.client.get("/open-data/exports-by-destination/2020.csv")
    assert first.status_code == 200 and first.content == again.content
    assert first.headers["content-disposition"] == 'attachment; filename="exports-by-destination-2020.csv"'
    assert first.text.splitlines()[1].startswith("2020,TR,")
    as_json = api.client.get("/open-data/exports-by-destination-and-item/2020.json?as_of=2021-05-31")
    assert json.loads(as_json.content)["rows"][0]["item_code"] == "2-15"
    assert "as-of-2021-05-31" in as_json.headers["content-disposition"]


def test_the_register_and_report_pages_in_english_and_french(api: Api, shipped: int) -> None:
    en = api.client.get("/public")
    assert en.status_code == 200 and "Public register of export controls" in en.text
    fr = api.client.get("/public/reports/2020", headers={"Accept-Language": "fr-CA"})
    assert fr.status_code == 200 and '<html lang="fr">' in fr.text
    assert "Rapport sur les exportations de marchandises militaires, 2020" in fr.text
    assert "L3Harris" not in fr.text and "EXP-" not in fr.text
    for path in (
        "/public/reports/2020/charts/exports-by-destination.svg",
        "/public/reports/2020/charts/timeline.png",
    ):
        chart = api.client.get(path)
        assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/")
    pdf = api.client.get("/public/reports/2020/report.pdf?lang=fr")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert api.client.get("/open-data").status_code == 200
