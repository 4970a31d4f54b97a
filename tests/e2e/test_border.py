"""The border officer of the reference case signs in, asks whether the MX-15D shipment of
10 October 2020 is authorised and is told it is not ("suspended on 2020-10-05"), then checks a
declaration file with an unreadable line, in a real browser."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from exportguard.adapters.clock import FixedClock
from exportguard.demo.loader import load_case
from exportguard.demo.replay import DEMO_PASSWORD, demo_totp_secret
from tests.e2e.conftest import browser_system, chromium_page, screenshots, serving, sign_in_page

pytestmark = pytest.mark.browser
SCREENSHOT = Path("/tmp/border.png")  # where the brief looks at the page after a run
DECLARATIONS = (
    "declaration_id,shipped_on,permit,quantity,item_code,destination,consignee,port\n"
    "CBSA-2020-0915-WES-01,2020-09-15,EXP-2020-104513,1,2-15,TR,Baykar,YYZ\n"
    "CBSA-2020-1010-WES-01,2020-10-10,EXP-2020-104513,1,2-15,TR,Baykar,YYZ\n"
    "CBSA-2020-1010-WES-02,2020-10-1O,EXP-2020-104513,1,2-15,TR,Baykar,YYZ\n"
)


def test_the_border_officer_is_told_the_permit_was_suspended(tmp_path: Path) -> None:
    system, clock = browser_system(tmp_path, datetime(2020, 11, 2, 9, 0, tzinfo=UTC))
    load_case(system)  # its principals include the border officer customs.cbsa
    with serving(system) as url, chromium_page() as page:
        ask_and_check_a_file(page, url, clock, screenshots(tmp_path), tmp_path)


def ask_and_check_a_file(page: Page, url: str, clock: FixedClock, shots: Path, tmp_path: Path) -> None:
    page.goto(url + "/login?next=/border")
    sign_in_page(page, clock, "customs.cbsa", DEMO_PASSWORD, demo_totp_secret("customs.cbsa"))
    expect(page.get_by_role("heading", name="Is this export authorised?")).to_be_visible()
    expect(page.get_by_role("link", name="Border")).to_have_attribute("aria-current", "page")

    page.get_by_label("Permit", exact=True).fill("EXP-2020-104513")
    page.get_by_label("Date", exact=True).fill("2020-10-10")
    page.get_by_label("Destination", exact=True).fill("TR")
    page.get_by_label("Consignee", exact=True).fill("Baykar")
    page.get_by_label("Goods line 1: permit line or item").fill("2-15")
    page.get_by_label("Goods line 1: quantity").fill("1")
    page.get_by_role("button", name="Check", exact=True).click()
    answer = page.locator(".verdict")
    expect(answer.locator(".verdict-word")).to_have_text("Not authorised")  # upper case by CSS
    expect(answer.locator(".reasons")).to_contain_text("suspended on 2020-10-05")
    expect(page.locator("table.checks tbody tr").first).to_contain_text("suspended on 2020-10-05")
    page.screenshot(path=SCREENSHOT, full_page=True)
    page.screenshot(path=shots / "border-1-check.png", full_page=True)

    declarations = tmp_path / "declarations.csv"
    declarations.write_text(DECLARATIONS, encoding="utf-8")
    page.get_by_label("File", exact=True).set_input_files(declarations)
    page.get_by_label("Check only").check()
    page.get_by_role("button", name="Send the file").click()
    result = page.locator("#file-result")
    expect(result).to_contain_text("declarations.csv: 3 lines checked")
    rows = result.locator("table.verdicts tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("suspended on 2020-10-05")
    expect(rows.nth(2)).to_contain_text("shipped_on: '2020-10-1O' is not a date")
    page.screenshot(path=shots / "border-2-file.png", full_page=True)
