"""Browser tests: a real uvicorn server on a free localhost port, driven by Debian's Chromium.

Without /usr/bin/chromium the tests skip with a reason, unless EXPORTGUARD_REQUIRE_BROWSER=1 (CI),
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, sync_playwright

from exportguard.adapters.clock import FixedClock
from exportguard.domain.access import Role
from exportguard.domain.permits import PermitCommand
from exportguard.services.kernel.common import Act
from exportguard.services.parties.registry import NewPrincipal, create_principal
from exportguard.services.permits import commands as permits
from exportguard.services.reference.control_list import sync_reference_data
from exportguard.services.system import ExportGuard
from exportguard.web.app import create_app
from tests.factories import MINISTER, issued, world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SUSPENSION_REASON = "Review of permits to Turkey after reports of use in Nagorno-Karabakh"


@dataclass
class Site:
    url: str
    username: str
    token: str
    suspended_number: str
    active_number: str
    screenshots: Path


def _chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("EXPORTGUARD_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"{CHROMIUM} is missing and EXPORTGUARD_REQUIRE_BROWSER=1 (run scripts/install-browser)"
            )
        pytest.skip(f"{CHROMIUM} is not installed (scripts/install-browser installs it)")
    return CHROMIUM


def _seed(system: ExportGuard, clock: FixedClock) -> tuple[str, str, str]:
    """The 2020 case in miniature: two permits to TR; the first suspended on 5 Oct 2020."""
    with system.read() as session:
        sync_reference_data(session)
    w = world(system)
    first = issued(system, w, quantity=4)
    second = issued(system, w, quantity=3)
    clock.set(datetime(2020, 10, 5, 15, 30, tzinfo=UTC))
    with system.uow(MINISTER) as uow:
        permits.alter_permit(
            uow,
            first.id,
            PermitCommand.SUSPEND,
            Act(reason=SUSPENSION_REASON, effective_date=date(2020, 10, 5)),
        )
    clock.set(datetime(2020, 11, 2, 9, 0, tzinfo=UTC))
    with system.read() as session:
        token = create_principal(
            session, NewPrincipal(username="director.dupuis", display_name="D. Dupuis", role=Role.DIRECTOR)
        )
    return token, first.number, second.number


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(system: ExportGuard) -> Iterator[str]:
    """The app on a uvicorn server in a thread, on a free localhost port; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(system), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    system.engine.dispose()


@contextmanager
def chromium_page() -> Iterator[Page]:
    """A fresh Chromium with one 1280x900 page, closed afterwards."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


def screenshots(root: Path) -> Path:
    shots = Path(os.environ.get("EXPORTGUARD_SCREENSHOTS", str(root / "screenshots")))
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def browser_system(root: Path, now: datetime) -> tuple[ExportGuard, FixedClock]:
    """A system on a new SQLite file in ``root``, its clock at ``now`` (skips without a browser)."""
    _chromium()
    clock = FixedClock(now)
    return ExportGuard.from_url(f"sqlite:///{root / 'exportguard.sqlite3'}", clock), clock


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("e2e")
    system, clock = browser_system(root, datetime(2020, 4, 20, 14, 0, tzinfo=UTC))
    token, suspended, active = _seed(system, clock)
    with serving(system) as url:
        yield Site(url, "director.dupuis", token, suspended, active, screenshots(root))
