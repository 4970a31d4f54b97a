"""Sign in, filter the permit register, open a permit and read its timeline, in a real browser."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, E2E_PASSWORD, SUSPENSION_REASON, Site, sign_in_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def sign_in(page: Page, site: Site, password: str = E2E_PASSWORD) -> None:
    page.goto(site.url + "/permits")
    expect(page).to_have_url(site.url + "/login?next=/permits")
    sign_in_page(page, site.clock, site.username, password, site.totp_secret)


def test_sign_in_filter_and_read_the_timeline(page: Page, site: Site) -> None:
    sign_in(page, site)
    expect(page.get_by_role("heading", name="Permit register")).to_be_visible()
    expect(page.get_by_text("Signed in as director.dupuis")).to_be_visible()
    page.screenshot(path=site.screenshots / "1-register.png", full_page=True)

    page.get_by_label("Destination").fill("TR")
    page.get_by_label("As of").fill("2020-10-04")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("table.register tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("active")

    page.get_by_label("As of").fill("2020-10-06")
    page.get_by_label("Status").select_option("suspended")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(site.suspended_number)
    expect(rows.first).to_contain_text("suspended")
    page.screenshot(path=site.screenshots / "2-register-filtered.png", full_page=True)

    rows.first.get_by_role("link", name=site.suspended_number).click()
    expect(page.get_by_role("heading", name=f"Permit {site.suspended_number}")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("On 2020-10-06 this permit was")
    timeline = page.locator("ol.timeline")
    expect(timeline.locator("li")).to_have_count(2)
    last = timeline.locator("li").last
    for text in (
        "Suspend",
        "effective 2020-10-05",
        SUSPENSION_REASON,
        "EIPA s.10(1)",
        "minister.champagne",
        "2020-10-05 15:30 UTC",
    ):
        expect(last).to_contain_text(text)
    expect(page.locator("table").first).to_contain_text("MX-15D")
    page.screenshot(path=site.screenshots / "3-permit.png", full_page=True)

    page.get_by_role("link", name="Show today").click()
    expect(page.locator(".lead")).to_contain_text("Today (2020-11-02) this permit is")

    page.get_by_role("link", name="application").click()
    expect(page.get_by_role("heading", name="Assessment (EIPA s.7.3, s.7.4)")).to_be_visible()
    expect(page.get_by_text("Baykar Makina").first).to_be_visible()
    page.screenshot(path=site.screenshots / "4-application.png", full_page=True)

    page.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", name="Verified")).to_be_visible()
    page.screenshot(path=site.screenshots / "5-audit.png", full_page=True)

    page.get_by_role("link", name="API").click()
    expect(page.get_by_role("heading", name="/api/permits/{permit_id}/suspend")).to_be_visible()
    page.screenshot(path=site.screenshots / "6-api-reference.png")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(site.url + "/login")


def test_wrong_password_is_refused_on_the_page(page: Page, site: Site) -> None:
    sign_in(page, site, password="not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("username or password is wrong")
    page.screenshot(path=site.screenshots / "7-login-refused.png", full_page=True)
