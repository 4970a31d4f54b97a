"""A reviewer opens the screening review page, records a disposition, and sees the task gone
from the open list; then reads the sanctions lists page and a diff, in a real browser."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from exportguard.adapters.clock import FixedClock
from exportguard.adapters.sanctions_lists.snapshot import ParsedList
from exportguard.domain.access import Role
from exportguard.domain.screening.entries import ListEntry, Schema
from exportguard.services.reference.control_list import sync_reference_data
from exportguard.services.screening import commands as screening
from exportguard.services.system import ExportGuard
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    E2E_PASSWORD,
    browser_system,
    official,
    screenshots,
    serving,
    sign_in_page,
)
from tests.factories import OFFICER, party, world

pytestmark = pytest.mark.browser
BAYKAR = "BAYKAR MAKINA SANAYI VE TICARET A.S."
REASON = "Baykar Makina (TR) is registered in Istanbul; the listed entity is a different company"


@dataclass
class ReviewSite:
    url: str
    totp_secret: str
    clock: FixedClock
    screenshots: Path


def _list(*entries: tuple[str, str, str]) -> ParsedList:
    found = tuple(
        ListEntry("custom", i, Schema.ORGANISATION, (name,), frozenset({country}))
        for i, name, country in entries
    )
    return ParsedList("custom", hashlib.sha256(repr(found).encode()).hexdigest(), found, "2020-11-01")


def _seed(system: ExportGuard) -> str:
    """Two snapshots of a custom list and two open hits: Baykar Makina and Falcon Trading."""
    with system.read() as session:
        sync_reference_data(session)
    w = world(system)
    falcon = party(system, "Falcon Trading", "AE")
    with system.uow(OFFICER) as uow:
        screening.import_list(uow, _list(("D-1", BAYKAR, "TR")))
    with system.uow(OFFICER) as uow:
        screening.import_list(uow, _list(("D-1", BAYKAR, "TR"), ("D-2", "FALCON TRADING L.L.C.", "AE")))
    for party_id in (w.consignee_id, falcon):
        with system.uow(OFFICER) as uow:
            screening.screen_party(uow, party_id)
    return official(system, "officer.ortiz", "O. Ortiz", Role.OFFICER)


@pytest.fixture(scope="module")
def review_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReviewSite]:
    root = tmp_path_factory.mktemp("e2e-screening")
    system, clock = browser_system(root, datetime(2020, 11, 2, 9, 0, tzinfo=UTC))
    secret = _seed(system)
    with serving(system) as url:
        yield ReviewSite(url, secret, clock, screenshots(root))


@pytest.fixture
def review_page(review_site: ReviewSite) -> Iterator[Page]:
    with sync_playwright() as p:
        browser: Browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


def test_record_a_disposition_and_see_the_task_leave_the_open_list(
    review_page: Page, review_site: ReviewSite
) -> None:
    page, site = review_page, review_site
    page.goto(site.url + "/screening")
    sign_in_page(page, site.clock, "officer.ortiz", E2E_PASSWORD, site.totp_secret)
    expect(page.get_by_role("heading", name="Screening review")).to_be_visible()
    tasks = page.locator("article.hit")
    expect(tasks).to_have_count(2)
    baykar = tasks.filter(has_text="Baykar Makina")
    for text in (
        BAYKAR,
        "baykar=baykar",
        # The parts left over, each with the weight it carries (issue 16's explanations).
        "only in list: sanayi",
        "ticaret",
        "custom, entry D-1",
        "snapshot 2, published 2020-11-01",
        "screened by an officer",
    ):
        expect(baykar).to_contain_text(text)
    page.screenshot(path=site.screenshots / "s1-review.png", full_page=True)

    baykar.get_by_label("False positive").check()
    baykar.get_by_label("Reason").fill(REASON)
    baykar.get_by_role("button", name="Record disposition").click()
    expect(page.get_by_role("status")).to_contain_text("Disposition recorded")
    expect(page.get_by_role("status")).to_contain_text("false positive")
    expect(tasks).to_have_count(1)
    expect(tasks.first).to_contain_text("Falcon Trading")
    expect(page.locator("article.hit", has_text="Baykar Makina")).to_have_count(0)
    page.screenshot(path=site.screenshots / "s2-review-recorded.png", full_page=True)

    page.get_by_role("link", name="Sanctions lists").click()
    expect(page.get_by_role("heading", name="Sanctions lists")).to_be_visible()
    expect(page.locator("table.register tbody tr")).to_have_count(2)
    page.screenshot(path=site.screenshots / "s3-lists.png", full_page=True)
    page.get_by_role("link", name="Diff with 1").click()
    expect(page.locator(".lead")).to_contain_text("1 added, 0 changed, 0 removed")
    expect(page.get_by_text("FALCON TRADING L.L.C.")).to_be_visible()
    page.screenshot(path=site.screenshots / "s4-diff.png", full_page=True)
