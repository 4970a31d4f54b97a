"""The story of issue 14 in a real browser: a member of the public files an allegation; an officer
triages it and opens an investigation; evidence is added; a finding is recorded; the recommended
cancellation is previewed and executed by the Minister; the permit's public verification page says
it is cancelled."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from exportguard.adapters.clock import FixedClock
from exportguard.domain.access import Role
from tests.e2e.conftest import (
    E2E_PASSWORD,
    browser_system,
    chromium_page,
    official,
    screenshots,
    serving,
    sign_in_page,
)
from tests.factories import issued, world

pytestmark = pytest.mark.browser


@dataclass
class CaseSite:
    url: str
    secrets: dict[str, str]
    clock: FixedClock
    permit: str
    screenshots: Path
    evidence: Path


@pytest.fixture(scope="module")
def case_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseSite]:
    root = tmp_path_factory.mktemp("e2e-investigation")
    system, clock = browser_system(root, datetime(2020, 5, 20, 9, 0, tzinfo=UTC))  # approved, then issued
    w = world(system)
    permit = issued(system, w, quantity=4, valid_from=date(2020, 5, 22), valid_to=date(2021, 6, 30))
    clock.set(datetime(2021, 4, 12, 9, 0, tzinfo=UTC))
    secrets = {
        name: official(system, name, name, role)
        for name, role in (("officer.o", Role.OFFICER), ("minister.m", Role.MINISTER))
    }
    evidence = root / "wreckage-report.txt"
    evidence.write_text("Serial plate of an MX-15D recovered from a TB2 shot down on 19 Oct 2020\n")
    with serving(system) as url:
        yield CaseSite(url, secrets, clock, permit.number, screenshots(root), evidence)


@pytest.fixture
def case_page(case_site: CaseSite) -> Iterator[Page]:
    with chromium_page() as page:
        yield page


def sign_in(page: Page, site: CaseSite, who: str, next_page: str) -> None:
    page.goto(f"{site.url}/login?next={next_page}")
    sign_in_page(page, site.clock, who, E2E_PASSWORD, site.secrets[who])


def test_public_allegation_to_cancelled_permit(case_page: Page, case_site: CaseSite) -> None:
    page, site, shots = case_page, case_site, case_site.screenshots
    # A member of the public, without an account.
    page.goto(site.url + "/report")
    page.get_by_label("You are reporting as").select_option("diaspora_organisation")
    page.get_by_label("Your name or organisation").fill("Armenian National Committee of Canada")
    page.get_by_label("What happened").fill(
        "A Wescam MX-15D was recovered from a TB2 drone over Nagorno-Karabakh"
    )
    page.get_by_label("Country the goods were exported to").fill("TR")
    page.get_by_label("Conflict").fill("Nagorno-Karabakh")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="Report received")).to_be_visible()
    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"ALG-[0-9A-Z]{10}", reference)
    page.screenshot(path=shots / "investigation-1-receipt.png", full_page=True)

    # The officer triages it and opens an investigation.
    sign_in(page, site, "officer.o", f"/allegations/{reference}")
    expect(page.get_by_role("heading", name=f"Allegation {reference}")).to_be_visible()
    page.get_by_label("Investigation title").fill("Canadian sensors in Nagorno-Karabakh")
    page.get_by_label("Why investigate").fill("Credible report with physical evidence")
    page.get_by_role("button", name="Open an investigation").click()
    expect(page.get_by_role("heading", name=re.compile(r"INV-2021-\d{4}"))).to_be_visible()
    investigation = re.search(r"INV-2021-\d{4}", page.url)
    assert investigation is not None

    # Evidence, a question and its finding.
    page.get_by_label("File", exact=True).set_input_files(str(site.evidence))
    page.get_by_label("Description").fill("Photograph description of the serial plate")
    page.get_by_role("button", name="Add the file").click()
    evidence = page.locator("#evidence table")
    expect(evidence).to_contain_text("wreckage-report.txt")
    expect(evidence).to_contain_text("text/plain")
    page.get_by_label("New question").fill("Were Canadian goods used in the conflict?")
    page.get_by_role("button", name="Ask").click()
    page.get_by_label("Rationale").fill("The serial plate matches a sensor exported under the permit")
    page.get_by_role("button", name="Record the finding").click()
    expect(page.locator("#finding")).to_contain_text("Finding: yes")

    # The recommended cancellation, on exactly the permit concerned.
    page.get_by_label("Act", exact=True).select_option("cancel")
    page.get_by_label("Permits").fill(site.permit)
    page.get_by_label("Reason").fill("Use contradicts the end-use assurances")
    page.get_by_role("button", name="Recommend").click()
    expect(page.locator("#recommend table")).to_contain_text(site.permit)
    page.screenshot(path=shots / "investigation-2-findings.png", full_page=True)

    # The Minister previews and executes it.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, site, "minister.m", f"/investigations/{investigation.group(0)}")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_contain_text("cancel of 1 permit")
    expect(preview).to_contain_text(f"{site.permit}/v1")
    page.screenshot(path=shots / "investigation-3-preview.png", full_page=True)
    page.get_by_role("button", name="Execute the act").click()
    expect(page.get_by_text(site.permit).first).to_be_visible()

    # The whole story on the investigation's page, and the permit's public verification page.
    page.goto(f"{site.url}/investigations/{investigation.group(0)}")
    timeline = page.locator("#timeline")
    for text in ("allegation", "opened", "evidence", "finding", "recommended", "executed"):
        expect(timeline).to_contain_text(text)
    page.goto(f"{site.url}/permits/{site.permit}")
    link = page.get_by_role("link", name="Public verification page").get_attribute("href")
    browser = page.context.browser
    assert link is not None and browser is not None
    public = browser.new_context().new_page()  # as anyone who scans the permit's QR code: no sign-in
    public.goto(site.url + link)
    expect(public.locator(".verdict")).to_contain_text("Not in force")
    expect(public.locator(".verdict")).to_contain_text("cancelled")
    public.screenshot(path=shots / "investigation-4-verification.png", full_page=True)
