"""The minister previews the suspension of Group 2 permits to Turkey on the case's data, confirms
it, and finds the permits suspended in the register as of the effective date, in a real browser."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from exportguard.adapters.clock import FixedClock
from exportguard.demo.case import load_case_file
from exportguard.demo.loader import load_case
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

pytestmark = pytest.mark.browser
REASON = "Review of permits to Turkey after reports of use in Nagorno-Karabakh"


@dataclass
class ActSite:
    url: str
    totp_secret: str
    clock: FixedClock
    screenshots: Path


@pytest.fixture(scope="module")
def act_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ActSite]:
    root = tmp_path_factory.mktemp("e2e-acts")
    system, clock = browser_system(root, datetime(2020, 10, 5, 9, 0, tzinfo=UTC))
    # The case up to, not including, its ministerial acts: 29 Group 2 permits to TR in force.
    load_case(system, load_case_file().model_copy(update={"acts": [], "investigations": []}))
    secret = official(system, "minister.m", "The Minister", Role.MINISTER)
    with serving(system) as url:
        yield ActSite(url, secret, clock, screenshots(root))


@pytest.fixture
def act_page(act_site: ActSite) -> Iterator[Page]:
    with chromium_page() as page:
        yield page


def test_preview_confirm_and_see_the_permits_suspended(act_page: Page, act_site: ActSite) -> None:
    page, shots = act_page, act_site.screenshots
    page.goto(act_site.url + "/login?next=/ministerial-acts")
    sign_in_page(page, act_site.clock, "minister.m", E2E_PASSWORD, act_site.totp_secret)
    expect(page.get_by_role("heading", name="Ministerial act in bulk")).to_be_visible()

    page.get_by_label("Act", exact=True).select_option("suspend")
    page.get_by_label("Effective date", exact=True).fill("2020-10-05")
    page.get_by_label("Destination", exact=True).fill("TR")
    page.get_by_label("Group", exact=True).fill("2")
    page.get_by_role("button", name="Preview").click()
    expect(
        page.get_by_role("heading", name="Preview: suspend of 29 permits, effective 2020-10-05")
    ).to_be_visible()
    expect(page.locator("table.affected tbody tr")).to_have_count(29)
    expect(page.locator("table.holders")).to_contain_text("L3Harris Wescam")
    page.screenshot(path=shots / "act-1-preview.png", full_page=True)

    page.get_by_label("Reason", exact=True).fill(REASON)
    page.get_by_label("Decision reference", exact=True).fill("MIN-2020-10-05")
    page.get_by_role("button", name="Confirm the act").click()
    expect(page.get_by_role("heading", name="Decision MIN-2020-10-05")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Suspend of 29 permits, effective 2020-10-05")
    page.screenshot(path=shots / "act-2-decision.png", full_page=True)

    page.get_by_role("link", name="the permits as of 2020-10-05").click()
    rows = page.locator("table.register tbody tr")
    expect(rows).to_have_count(29)
    expect(rows.locator(".tag-suspended")).to_have_count(29)
    page.screenshot(path=shots / "act-3-register.png", full_page=True)

    page.get_by_role("link", name="Measures").click()
    page.get_by_label("Destination", exact=True).fill("TR")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("TR-NTE-992 v1")).to_be_visible()
    page.screenshot(path=shots / "act-4-measures.png", full_page=True)

    page.get_by_role("link", name="Determination").click()
    page.get_by_label("Control list items", exact=True).fill("2-15")
    page.get_by_label("Destination", exact=True).fill("TR")
    page.get_by_label("Date", exact=True).fill("2020-05-19")
    page.get_by_role("button", name="Determine").click()
    expect(page.get_by_role("heading", name="Needs an exception")).to_be_visible()
    expect(page.locator("table.trace tbody tr").first).to_contain_text("ECL s.2")
    page.screenshot(path=shots / "act-5-determination.png", full_page=True)
