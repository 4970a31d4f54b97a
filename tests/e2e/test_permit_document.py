"""The sandbox (the case as it stood on 4 Oct 2020): the minister suspends one permit from its page
after the preview, its public verification page then says "suspended since 2020-10-05" (in French
too), and its PDF is served; in a real browser, a screenshot of each step."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from exportguard.adapters.clock import FixedClock
from exportguard.demo.loader import load_case
from exportguard.demo.replay import DEMO_PASSWORD, demo_totp_secret
from tests.e2e.conftest import browser_system, chromium_page, screenshots, serving, sign_in_page

pytestmark = pytest.mark.browser


@dataclass
class Sandbox:
    url: str
    screenshots: Path
    clock: FixedClock


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    root = tmp_path_factory.mktemp("e2e-sandbox")
    system, clock = browser_system(root, datetime(2020, 10, 5, 9, 0, tzinfo=UTC))
    load_case(system, until=date(2020, 10, 4))
    with serving(system) as url:
        yield Sandbox(url, screenshots(root), clock)


@pytest.fixture
def page(sandbox: Sandbox) -> Iterator[Page]:
    with chromium_page() as p:
        yield p


def test_suspend_one_permit_then_its_verification_page_says_so(page: Page, sandbox: Sandbox) -> None:
    shots = sandbox.screenshots
    page.goto(sandbox.url + "/login?next=/permits/EXP-2020-104513")
    sign_in_page(
        page, sandbox.clock, "minister.champagne", DEMO_PASSWORD, demo_totp_secret("minister.champagne")
    )
    expect(page.get_by_role("heading", name="Permit EXP-2020-104513 version 1")).to_be_visible()
    verification = page.get_by_role("link", name="Public verification page").get_attribute("href")
    assert verification is not None
    pdf = page.request.get(sandbox.url + "/permits/EXP-2020-104513/permit.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF-")

    page.get_by_role("link", name="Suspend…").click()
    page.get_by_label("Effective date", exact=True).fill("2020-10-05")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview: suspend effective 2020-10-05")).to_be_visible()
    page.screenshot(path=shots / "permit-act-1-preview.png", full_page=True)
    page.get_by_label("Reason", exact=True).fill("Reports of use in Nagorno-Karabakh")
    page.get_by_role("button", name="Confirm the act").click()
    expect(page.get_by_text("Reports of use in Nagorno-Karabakh")).to_be_visible()
    page.screenshot(path=shots / "permit-act-2-timeline.png", full_page=True)

    page.get_by_role("button", name="Sign out").click()
    page.goto(sandbox.url + verification)
    expect(page.get_by_role("status")).to_contain_text("Not in force")
    expect(page.get_by_role("status")).to_contain_text("suspended since 2020-10-05")
    expect(page.locator("main")).not_to_contain_text("Baykar")
    page.screenshot(path=shots / "permit-act-3-verification.png", full_page=True)
    page.goto(sandbox.url + verification + "?lang=fr")
    expect(page.get_by_role("status")).to_contain_text("suspendue")
    page.screenshot(path=shots / "permit-act-4-verification-fr.png", full_page=True)
