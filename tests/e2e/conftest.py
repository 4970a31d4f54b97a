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

import pyotp
import pytest
import uvicorn
from playwright.sync_api import Page, sync_playwright

from exportguard.adapters.clock import FixedClock
from exportguard.demo.replay import DEMO_PASSWORD, demo_totp_secret
from exportguard.domain.access import Role
from exportguard.domain.permits import PermitCommand
from exportguard.services.accounts import credentials
from exportguard.services.accounts.principals import NewPrincipal, create_principal
from exportguard.services.kernel.common import Act
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


E2E_PASSWORD = "an e2e test passphrase"
_used_steps: dict[tuple[int, str], int] = {}


def official(system: ExportGuard, username: str, display_name: str, role: Role) -> str:
    """An account with E2E_PASSWORD and an authenticator; returns its key (base32)."""
    secret = pyotp.random_base32()
    with system.read() as session:
        create_principal(
            session,
            NewPrincipal(username=username, display_name=display_name, role=role),
            password_hash=credentials.hash_password(E2E_PASSWORD),
            totp_secret=secret,
        )
    return secret


def sign_in_page(page: Page, clock: FixedClock, username: str, password: str, secret: str | None) -> None:
    """On the sign-in page: username and password, then the authenticator's code at the server's time
    (a code is good once: a second sign-in of the same account moves the clock to the next one)."""
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if secret is None or "/login/code" not in page.url:
        return
    step = int(clock.now().timestamp()) // 30
    if _used_steps.get((id(clock), username), -1) >= step:
        clock.advance(seconds=30)
    _used_steps[(id(clock), username)] = int(clock.now().timestamp()) // 30
    page.get_by_label("Code", exact=True).fill(credentials.totp_now(secret, clock.now()))
    page.get_by_role("button", name="Continue").click()


def sign_in_demo(page: Page, clock: FixedClock, username: str) -> None:
    """A demo account signs in on the open sign-in page, in any language (by the fields' ids):
    the demo's password, then (officials) the code of its derived authenticator key."""
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    if "/login/code" not in page.url:
        return
    step = int(clock.now().timestamp()) // 30
    if _used_steps.get((id(clock), username), -1) >= step:
        clock.advance(seconds=30)
    _used_steps[(id(clock), username)] = int(clock.now().timestamp()) // 30
    page.fill("#code", credentials.totp_now(demo_totp_secret(username), clock.now()))
    page.click("form[action='/login/code'] button[type=submit]")


@dataclass
class Site:
    url: str
    username: str
    totp_secret: str
    clock: FixedClock
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
    secret = official(system, "director.dupuis", "D. Dupuis", Role.DIRECTOR)
    return secret, first.number, second.number


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
        uvicorn.Config(
            create_app(system), host="127.0.0.1", port=port, log_level="warning", server_header=False
        )
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
    secret, suspended, active = _seed(system, clock)
    with serving(system) as url:
        yield Site(url, "director.dupuis", secret, clock, suspended, active, screenshots(root))
