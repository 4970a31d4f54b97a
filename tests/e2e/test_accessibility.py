"""axe-core over every page type, as the role that uses it, on the whole demo case (2019-2021), in
English and in French: the pages checked and their violations are written to
test-artifacts/axe-pages-<lang>.json; none serious or critical is allowed.

The workplace's own pages (portal, task list and steps, queue, case, assessment, advice, decision,
issue) are checked step by step in test_reference_case_walk.py.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from exportguard.demo.loader import load_case
from tests.e2e.conftest import browser_system, chromium_page, serving, sign_in_demo

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
BLOCKING = ("serious", "critical")

# (who signs in, page) - None: the public. Pages with an id use the demo's first records.
PAGES: list[tuple[str | None, str]] = [
    (None, "/login"),
    (None, "/report"),
    (None, "/public"),
    (None, "/measures?destination=TR"),
    (None, "/determination?items=2-15&destination=TR&on=2020-10-06"),
    (None, "/docs"),
    (None, "/nowhere"),  # the error page
    ("officer.tremblay", "/permits?destination=TR&as_of=2020-10-06"),
    ("officer.tremblay", "/permits/1"),
    ("officer.tremblay", "/applications/1"),
    ("officer.tremblay", "/queue"),
    ("officer.tremblay", "/screening"),
    ("officer.tremblay", "/lists"),
    ("officer.tremblay", "/parties"),
    ("officer.tremblay", "/products"),
    ("officer.tremblay", "/general-permits/41"),
    ("officer.tremblay", "/allegations"),
    ("officer.tremblay", "/border"),
    ("minister.champagne", "/ministerial-acts?command=suspend&destination=TR&item_group=2"),
    ("minister.champagne", "/permits/1/act"),
    ("auditor.demo", "/audit"),
    ("exporter.wescam", "/portal"),
    ("exporter.wescam", "/notices"),
]


def test_every_page_type_passes_axe(tmp_path: Path) -> None:
    system, clock = browser_system(tmp_path, datetime(2021, 5, 3, 9, 0, tzinfo=UTC))
    load_case(system)
    axe = Axe()
    checked: dict[str, list[dict[str, object]]] = {}
    with serving(system) as url, chromium_page() as page:
        for lang in ("en", "fr"):
            checked[lang] = []
            for who, path in PAGES:
                page.context.clear_cookies()
                if who:
                    page.goto(f"{url}/login")
                    sign_in_demo(page, clock, who)
                sep = "&" if "?" in path else "?"
                response = page.goto(f"{url}{path}{sep}lang={lang}")
                assert response is not None
                assert response.status == (404 if path == "/nowhere" else 200), (who, path)
                assert page.locator("html").get_attribute("lang") == lang, path
                found = axe.run(page).response["violations"]
                checked[lang].append(
                    {
                        "who": who or "public",
                        "page": path,
                        "violations": [
                            {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])} for v in found
                        ],
                    }
                )
    out = Path(os.environ.get("EXPORTGUARD_ARTIFACTS", str(ROOT / "test-artifacts")))
    out.mkdir(parents=True, exist_ok=True)
    for lang, pages in checked.items():
        (out / f"axe-pages-{lang}.json").write_text(json.dumps(pages, indent=1), encoding="utf-8")
    blocking = [
        (lang, c["page"], v)
        for lang, pages in checked.items()
        for c in pages
        for v in c["violations"]  # type: ignore[attr-defined]
        if v["impact"] in BLOCKING
    ]
    assert blocking == []
