"""The reference case walked in a real browser, in English and again in French, from the demo's
sandbox (the case as it stood on 19 April 2020): the exporter drafts and submits (one field error on
the way), the officer takes the case from the queue, sees the screening and the determination, asks a
question that the exporter answers with a document, assesses and sends for advice; National Defence
advises; the minister approves the exception; the officer issues the permit and the exporter downloads
its PDF; customs records a shipment; the minister previews and confirms the 5 Oct 2020 suspension;
the permit's verification page says suspended; a later export is refused at the border.

Every step is photographed (test-artifacts/walk/<lang>/NN-step.png, or EXPORTGUARD_ARTIFACTS) and
checked by axe-core: the pages checked and their violations are written to axe-<lang>.json, and no
serious or critical violation is allowed.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from exportguard.adapters.clock import FixedClock
from exportguard.demo.loader import load_case
from tests.e2e.conftest import CHROMIUM, browser_system, chromium_page, serving, sign_in_demo

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n% End-use certificate TR-MND-EUC-2020-0417-A, signed\n%%EOF\n"
BLOCKING = ("serious", "critical")

# What each language's pages say at the checkpoints (everything else is found by ids and actions).
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "whole": "Enter a whole number, like 7.",
        "completed": "Completed",
        "submitted": "submitted",
        "under_review": "under review",
        "needs": "needs an exception",
        "approved": "approved",
        "suspended": "suspended",
        "not_authorised": "Not authorised",
        "not_in_force": "Not in force",
        "reason_suspended": "suspended on 2020-10-05",
    },
    "fr": {
        "whole": "Entrez un nombre entier, comme 7.",
        "completed": "Terminée",
        "submitted": "présentée",
        "under_review": "en cours d'examen",
        "needs": "exige une exception",
        "approved": "approuvée",
        "suspended": "suspendue",
        "not_authorised": "Non autorisée",
        "not_in_force": "Pas en vigueur",
        "reason_suspended": "2020-10-05",
    },
}


@dataclass
class Walk:
    page: Page
    url: str
    lang: str
    clock: FixedClock
    shots: Path
    axe: Axe = field(default_factory=Axe)
    step: int = 0
    checked: list[dict[str, Any]] = field(default_factory=list)

    def words(self, key: str) -> str:
        return WORDS[self.lang][key]

    def shot(self, name: str) -> None:
        """Photograph the page and check it with axe-core."""
        self.step += 1
        self.page.screenshot(path=self.shots / f"{self.step:02d}-{name}.png", full_page=True)
        found = self.axe.run(self.page).response["violations"]
        self.checked.append(
            {
                "step": f"{self.step:02d}-{name}",
                "url": self.page.url.removeprefix(self.url),
                "violations": [
                    {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"]}
                    for v in found
                ],
            }
        )

    def go(self, path: str) -> None:
        self.page.goto(self.url + path)

    def sign_in(self, username: str) -> None:
        self.page.context.clear_cookies()
        self.go(f"/login?lang={self.lang}")
        sign_in_demo(self.page, self.clock, username)

    def submit(self, action: str, button: str = "button[type=submit]") -> None:
        self.page.locator(f"form[method=post][action*='{action}'] {button}").first.click()

    def choose(self, select: str, starting: str) -> None:
        """Pick the option whose words start with ``starting`` (names are the same in both languages)."""
        for option in self.page.locator(f"{select} option").all():
            if option.inner_text().startswith(starting):
                self.page.select_option(select, option.get_attribute("value"))
                return
        raise AssertionError(f"no option of {select} starts with {starting!r}")

    def today(self, day: date) -> None:
        self.clock.set(datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC))


def artifacts(lang: str) -> Path:
    root = Path(os.environ.get("EXPORTGUARD_ARTIFACTS", str(ROOT / "test-artifacts")))
    shots = root / "walk" / lang
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    return shots


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_reference_case_in_the_browser(tmp_path: Path, lang: str) -> None:
    system, clock = browser_system(tmp_path, datetime(2020, 4, 19, 12, 0, tzinfo=UTC))
    load_case(system, until=date(2020, 4, 19))
    with serving(system) as url, chromium_page() as page:
        walk = Walk(page, url, lang, clock, artifacts(lang))
        try:
            permit_id = exporter_applies(walk)
            officer_and_advisers_decide(walk, permit_id)
        finally:
            report = walk.shots.parent / f"axe-{lang}.json"
            report.write_text(json.dumps(walk.checked, indent=1, ensure_ascii=False), encoding="utf-8")
    blocking = [
        (c["step"], v["id"], v["impact"])
        for c in walk.checked
        for v in c["violations"]
        if v["impact"] in BLOCKING
    ]
    assert len(walk.checked) >= 20
    assert blocking == []


def exporter_applies(w: Walk) -> int:
    w.today(date(2020, 4, 20))
    w.sign_in("exporter.wescam")
    w.go("/portal")
    expect(w.page.locator("html")).to_have_attribute("lang", w.lang)
    w.shot("exporter-portal")
    w.page.fill("#destination", "TR")
    w.submit("/portal/applications")
    w.page.wait_for_url(re.compile(r"/applications/\d+/draft$"))
    app_path = w.page.url.removeprefix(w.url).removesuffix("/draft")
    w.shot("task-list")

    w.go(f"{app_path}/draft/goods")
    w.choose("#lines-0-product_id", "MX-15D (")
    w.page.select_option("#lines-0-item_code", "2-15")  # picked from the control list, not typed
    w.page.fill("#lines-0-description", "MX-15D EO/IR imaging and laser designation turret")
    w.page.fill("#lines-0-quantity", "7 units")
    w.page.fill("#lines-0-unit_value", "1200000.00")
    w.page.fill("#lines-0-us_content_percent", "0")
    w.submit("/draft/goods", "button.button:not([name])")
    expect(w.page.locator("#lines-0-quantity-error")).to_contain_text(w.words("whole"))
    expect(w.page.locator(".error-summary a[href='#lines-0-quantity']")).to_be_visible()
    w.shot("goods-field-error")
    w.page.click(".error-summary a[href='#lines-0-quantity']")
    w.page.fill("#lines-0-quantity", "7")
    w.submit("/draft/goods", "button.button:not([name])")

    w.go(f"{app_path}/draft/parties")
    w.choose("#consignee", "Baykar (")
    w.choose("#end_user", "Turkish Ministry of National Defence")
    w.shot("parties")
    w.submit("/draft/parties", "button.button:not([name])")

    w.go(f"{app_path}/draft/end-use")
    w.page.fill(
        "#end_use", "Integration on Bayraktar TB2 unmanned aircraft operated by the Turkish armed forces"
    )
    w.page.fill("#end_use_location", "Turkey")
    w.page.fill("#requested_valid_from", "2020-05-22")
    w.page.fill("#requested_valid_to", "2021-06-30")
    w.submit("/draft/end-use", "button.button:not([name])")

    for kind, reference, upload in (
        ("end_use_certificate", "TR-MND-EUC-2020-0417-A", True),
        ("controlled_goods_registration", "CGP-WESCAM-0001", False),
    ):
        w.go(f"{app_path}/draft/documents")
        w.page.select_option("#kind", kind)
        w.page.fill("#reference", reference)
        if upload:
            w.page.set_input_files("#file", {"name": "euc.pdf", "mimeType": "application/pdf", "buffer": PDF})
            w.shot("documents")
        w.submit("/draft/documents", "button.button:not([name])")

    w.go(f"{app_path}/draft/declarations")
    w.page.check("#no_diversion_declared")
    w.submit("/draft/declarations", "button.button:not([name])")
    expect(w.page.locator(".task-done")).to_have_count(5)
    expect(w.page.locator(".task-done").first).to_have_text(w.words("completed"))
    w.shot("all-steps-done")
    w.submit("/submit")
    expect(w.page.locator(".lead .tag")).to_have_text(w.words("submitted"))
    w.shot("submitted")
    return int(app_path.rsplit("/", 1)[1])


def officer_and_advisers_decide(w: Walk, app_id: int) -> None:
    app_path = f"/applications/{app_id}"
    w.today(date(2020, 4, 22))
    w.sign_in("officer.tremblay")
    w.go("/queue")
    w.shot("work-queue")
    w.submit(f"{app_path}/take")
    expect(w.page.locator(".lead .tag")).to_have_text(w.words("under_review"))
    expect(w.page.locator("#determination + p")).to_contain_text(w.words("needs"))
    w.shot("case-page-screening-determination")
    w.page.click("details:has(form[action$='/requests']) summary")
    w.page.fill(
        "#question", "Please attach the end-use assurance signed by the Turkish Ministry of National Defence."
    )
    w.page.fill("#due_on", "2020-04-29")
    w.submit(f"{app_path}/requests")
    w.shot("request-for-information")

    w.sign_in("exporter.wescam")
    w.go(app_path)
    w.page.fill(
        "#answer",
        "Attached: the signed assurance of 17 April 2020 (Turkish armed forces only, no re-export).",
    )
    w.page.select_option("#kind", "end_use_certificate")
    w.page.set_input_files("#file", {"name": "assurance.pdf", "mimeType": "application/pdf", "buffer": PDF})
    w.shot("exporter-answers")
    w.submit("/answer")
    expect(w.page.locator("#requests + article")).to_contain_text("assurance.pdf")

    w.today(date(2020, 5, 8))
    w.sign_in("officer.tremblay")
    w.go(f"{app_path}/assess")
    for n, (risk, residual) in enumerate(
        [("substantial", "low"), ("low", ""), ("low", ""), ("no_risk", ""), ("no_risk", ""), ("low", "")]
    ):
        w.page.select_option(f"#findings-{n}-risk", risk)
        if residual:
            w.page.select_option(f"#findings-{n}-residual_risk", residual)
        w.page.fill(f"#findings-{n}-rationale", "Assessed against the review's headings")
    w.page.fill(
        "#mitigating_measures",
        "End-use assurance from the Turkish MND (Apr 2020)\nNo re-export without consent",
    )
    w.page.select_option("#diversion_risk", "low")
    w.page.fill("#diversion_rationale", "Government end user gives written assurances")
    w.page.select_option("#recommendation", "issue")
    w.page.fill("#recommendation_rationale", "Exception to Notice 992 for a NATO cooperation program")
    w.shot("assessment-form")
    w.submit(f"{app_path}/assess")
    w.page.click("details:has(form[action$='/advice-requests']) summary")
    w.page.fill("#advice_due_on", "2020-05-15")
    w.page.fill("#note", "Use of the MX-15D by the Turkish armed forces")
    w.submit(f"{app_path}/advice-requests")
    w.shot("sent-for-advice")

    w.today(date(2020, 5, 12))
    w.sign_in("advisor.dnd")
    w.go(f"{app_path}/advice")
    w.page.select_option("#advice", "no_objection")
    w.page.fill("#rationale", "NATO ally; no objection to these sensors for the Turkish armed forces")
    w.shot("defence-advice")
    w.submit(f"{app_path}/advice")

    w.today(date(2020, 5, 20))
    w.sign_in("minister.champagne")
    w.go(f"{app_path}/decide")
    w.page.check("input[name=outcome][value=approve_exception]")
    w.page.select_option("#exception", index=1)
    w.page.fill(
        "#justification", "Exception to Notice 992: NATO cooperation program; no substantial risk remains"
    )
    w.shot("minister-decides-exception")
    w.submit(f"{app_path}/decide")
    expect(w.page.locator(".lead .tag")).to_have_text(w.words("approved"))

    w.today(date(2020, 5, 22))
    w.sign_in("officer.tremblay")
    w.go(f"{app_path}/issue")
    w.shot("issue-form")
    w.submit(f"{app_path}/issue")
    link = w.page.locator("a[href^='/permits/']").first
    permit_path = link.get_attribute("href")
    assert permit_path

    w.sign_in("exporter.wescam")
    w.go(permit_path)
    w.shot("exporter-permit")
    pdf = w.page.request.get(w.url + permit_path + "/permit.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    number = w.page.locator("h1").inner_text().split()[1]
    verification = w.page.locator(".actions-list a[href^='/v/']").get_attribute("href")
    assert verification

    w.today(date(2020, 6, 15))
    w.sign_in("customs.cbsa")
    w.go("/border")
    declarations = (
        "declaration_id,shipped_on,permit,quantity,item_code,destination,consignee,port\n"
        f"WALK-{w.lang}-0615,2020-06-15,{number},2,2-15,TR,Baykar,YYZ\n"
    )
    w.page.set_input_files(
        "#file", {"name": "declarations.csv", "mimeType": "text/csv", "buffer": declarations.encode()}
    )
    w.page.check("input[name=mode][value=record]")
    w.submit("/border/declarations")
    expect(w.page.locator("#file-result .counts")).to_contain_text("1")
    w.shot("customs-records-shipment")

    w.today(date(2020, 10, 5))
    w.sign_in("minister.champagne")
    w.go("/ministerial-acts?command=suspend&effective_date=2020-10-05&destination=TR&item_group=2")
    w.shot("suspension-preview")
    w.page.fill("#reason", "Review of permits to Turkey after reports of use in Nagorno-Karabakh")
    w.page.fill("#decision_ref", f"MIN-2020-10-05-{w.lang}")
    w.submit("/ministerial-acts")
    w.shot("suspension-confirmed")

    w.page.context.clear_cookies()
    w.go(verification + f"?lang={w.lang}")
    expect(w.page.locator(".verdict-word")).to_have_text(w.words("not_in_force"))
    expect(w.page.locator(".verdict-what")).to_contain_text(w.words("suspended"))
    expect(w.page.locator(".verdict-what")).to_contain_text("2020-10-05")
    w.shot("verification-suspended")

    w.today(date(2020, 10, 10))
    w.sign_in("customs.cbsa")
    w.go("/border")
    w.page.fill("#permit", number)
    w.page.fill("#shipped_on", "2020-10-10")
    w.page.fill("#destination", "TR")
    w.page.fill("#consignee", "Baykar")
    w.page.fill("#goods-1", "2-15")
    w.page.fill("#quantity-1", "1")
    w.submit("/border/check#answer")
    expect(w.page.locator(".verdict-word")).to_have_text(w.words("not_authorised"))
    expect(w.page.locator(".verdict .reasons")).to_contain_text(w.words("reason_suspended"))
    w.shot("border-refuses")


def test_the_accessibility_check_finds_what_it_must() -> None:
    """axe-core really runs: an unlabelled field and an image without text are reported as serious
    or critical (so the walk's zero means something)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/install-browser installs it)")
    with chromium_page() as page:
        page.set_content(
            '<html lang="en"><body><main><input type="text"><img src="x.png"></main></body></html>'
        )
        found = {v["id"]: v["impact"] for v in Axe().run(page).response["violations"]}
    assert found.get("label") in BLOCKING
    assert found.get("image-alt") in BLOCKING
