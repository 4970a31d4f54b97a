"""The public register in a real browser, in English and in French, with its downloads: no sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from exportguard.services.border import shipments
from exportguard.services.permits import bulk_actions
from tests.e2e.conftest import browser_system, chromium_page, screenshots, serving
from tests.factories import MINISTER, issued, world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("public")
    system, clock = browser_system(root, datetime(2020, 5, 14, 9, tzinfo=UTC))  # approved, then issued
    w = world(system)
    permit = issued(system, w, quantity=4)
    clock.set(datetime(2020, 6, 2, 9, tzinfo=UTC))
    with system.uow(w.exporter_actor()) as uow:
        shipments.record_shipment(
            uow,
            shipments.ShipmentInput(
                declaration_id="CBSA-E2E-1", permit_id=permit.id, shipped_on=date(2020, 6, 1),
                lines=[shipments.ShipmentLineInput(permit_line_no=1, quantity=2)],
            ),
        )  # fmt: skip
    clock.set(datetime(2020, 10, 5, 15, tzinfo=UTC))
    with system.uow(MINISTER) as uow:
        bulk_actions.execute(
            uow,
            bulk_actions.BulkActInput.model_validate(
                {"command": "suspend", "scope": {"destination": "TR", "item_group": 2},
                 "reason": "Reports of use in Nagorno-Karabakh", "effective_date": date(2020, 10, 5),
                 "decision_ref": "MIN-2020-10-05"}
            ),
        )  # fmt: skip
    clock.set(datetime(2021, 6, 1, 9, tzinfo=UTC))
    with serving(system) as url:
        yield url, screenshots(root)


def test_anyone_reads_the_register_and_report_in_english_and_french(public_site: tuple[str, Path]) -> None:
    url, shots = public_site
    page: Page
    with chromium_page() as page:
        page.goto(url + "/public?lang=en")
        expect(page.get_by_role("heading", name="Public register of export controls")).to_be_visible()
        expect(page.get_by_role("cell", name="Reports of use in Nagorno-Karabakh")).to_be_visible()
        page.screenshot(path=str(shots / "public-register-en.png"), full_page=True)
        page.get_by_role("link", name="Exports of military goods, 2020").click()
        expect(page.get_by_role("heading", name="Report on exports of military goods, 2020")).to_be_visible()
        expect(page.get_by_role("cell", name="3,000,000.00 CAD").first).to_be_visible()
        assert "L3Harris" not in page.content() and "CBSA-E2E-1" not in page.content()
        page.wait_for_load_state("networkidle")
        loaded = page.eval_on_selector_all(
            "figure img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)"
        )
        assert loaded == [True, True], "both charts are drawn"
        page.screenshot(path=str(shots / "annual-report-2020-en.png"), full_page=True)
        with page.expect_download() as csv_download:
            page.get_by_role("link", name="CSV").first.click()
        body = Path(csv_download.value.path()).read_text()
        assert body.splitlines()[0].startswith("year,destination") and "2020,TR," in body

        page.get_by_role("link", name="Français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(
            page.get_by_role("heading", name="Rapport sur les exportations de marchandises militaires, 2020")
        ).to_be_visible()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(shots / "annual-report-2020-fr.png"), full_page=True)
        with page.expect_download() as pdf_download:
            page.get_by_role("link", name="Télécharger le rapport (PDF)").click()
        assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF")
        assert pdf_download.value.suggested_filename.endswith("-fr.pdf")
        page.goto(url + "/public")
        expect(
            page.get_by_role("heading", name="Registre public des contrôles à l'exportation")
        ).to_be_visible()
