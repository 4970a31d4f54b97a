"""Signing in as a person does it in Chromium: a new official's first sign-in (one-time password,
a password of their own, an authenticator enrolled, recovery codes), then password and code; a
lockout after repeated failures; a session that ends when idle; forged cross-site form posts, with
and without Origin, refused with nothing changed."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from exportguard.adapters.clock import FixedClock
from exportguard.db.models import MinisterialDecision, Permit
from exportguard.demo.case import load_case_file
from exportguard.demo.loader import load_case
from exportguard.domain.access import Role
from exportguard.domain.accounts import OrganisationKind
from exportguard.services.accounts import credentials
from exportguard.services.accounts.administration import NewAccount, create_account
from exportguard.services.accounts.operator import OPERATOR
from exportguard.services.accounts.organisations import NewOrganisation, create_organisation
from exportguard.services.system import ExportGuard
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
NEW_PASSWORD = "maple leaf export review 2020"


@dataclass
class SignInSite:
    url: str
    system: ExportGuard
    clock: FixedClock
    one_time_password: str
    minister_secret: str
    shots: Path


@pytest.fixture(scope="module")
def sign_in_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignInSite]:
    root = tmp_path_factory.mktemp("e2e-sign-in")
    system, clock = browser_system(root, datetime(2020, 10, 5, 9, 0, tzinfo=UTC))
    # The case before its ministerial acts: 29 Group 2 permits to TR in force, none suspended.
    load_case(system, load_case_file().model_copy(update={"acts": []}))
    with system.uow(OPERATOR) as uow:
        gac = create_organisation(uow, NewOrganisation(kind=OrganisationKind.DEPARTMENT, name="GAC")).id
    with system.uow(OPERATOR) as uow:
        created = create_account(
            uow,
            NewAccount(username="officer.roy", display_name="R. Roy", role=Role.OFFICER, organisation_id=gac),
        )
    secret = official(system, "minister.m", "The Minister", Role.MINISTER)
    with serving(system) as url:
        yield SignInSite(url, system, clock, created.one_time_password, secret, screenshots(root))


def suspended_count(system: ExportGuard) -> tuple[int, int]:
    with system.read() as session:
        suspended = session.scalar(
            select(func.count()).select_from(Permit).where(Permit.state == "suspended")
        )
        decisions = session.scalar(select(func.count()).select_from(MinisterialDecision))
    return suspended or 0, decisions or 0


def test_a_new_official_enrols_then_signs_in_with_password_and_code(sign_in_site: SignInSite) -> None:
    site = sign_in_site
    with chromium_page() as page:
        page.goto(site.url + "/permits")
        expect(page).to_have_url(re.compile(r"/login\?next=/permits$"))
        sign_in_page(page, site.clock, "officer.roy", site.one_time_password, None)
        expect(page.get_by_role("heading", name="Choose a password")).to_be_visible()
        page.get_by_label("Current (one-time) password").fill(site.one_time_password)
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Save the password").click()

        expect(page.get_by_role("heading", name="Set up your authenticator")).to_be_visible()
        page.goto(site.url + "/permits")  # nothing else until the authenticator is set up
        expect(page.get_by_role("heading", name="Set up your authenticator")).to_be_visible()
        secret = page.locator("#totp-secret").inner_text()
        page.screenshot(path=site.shots / "sign-in-1-enrol.png", full_page=True)
        page.get_by_label("Code from the app").fill(credentials.totp_now(secret, site.clock.now()))
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
        expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
        page.get_by_role("link", name="Continue").click()
        expect(page.get_by_text("Signed in as officer.roy")).to_be_visible()
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(site.url + "/login")

        page.goto(site.url + "/login")
        page.get_by_label("Username", exact=True).fill("officer.roy")
        page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Authenticator code")).to_be_visible()
        page.get_by_label("Code", exact=True).fill("123456")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_contain_text("code is wrong")
        site.clock.advance(seconds=30)  # the enrolment's code was used: the next one
        page.get_by_label("Code", exact=True).fill(credentials.totp_now(secret, site.clock.now()))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Permit register")).to_be_visible()
        expect(page.get_by_text("Signed in as officer.roy")).to_be_visible()
        page.screenshot(path=site.shots / "sign-in-2-signed-in.png", full_page=True)


def test_repeated_failures_lock_the_account(sign_in_site: SignInSite) -> None:
    site = sign_in_site
    with chromium_page() as page:
        for n in range(5):
            page.goto(site.url + "/login")
            sign_in_page(page, site.clock, "minister.m", f"guess number {n}", None)
        expect(page.get_by_role("alert")).to_contain_text("locked until 09:")
        page.screenshot(path=site.shots / "sign-in-3-locked.png", full_page=True)
        page.goto(site.url + "/login")
        sign_in_page(page, site.clock, "minister.m", E2E_PASSWORD, None)  # the right one: still locked
        expect(page.get_by_role("alert")).to_contain_text("locked until")
        site.clock.advance(minutes=15)
        page.goto(site.url + "/login?next=/ministerial-acts")
        sign_in_page(page, site.clock, "minister.m", E2E_PASSWORD, site.minister_secret)
        expect(page.get_by_role("heading", name="Ministerial act in bulk")).to_be_visible()


def test_an_idle_session_ends(sign_in_site: SignInSite) -> None:
    site = sign_in_site
    with chromium_page() as page:
        page.goto(site.url + "/login")
        sign_in_page(page, site.clock, "minister.m", E2E_PASSWORD, site.minister_secret)
        expect(page.get_by_text("Signed in as minister.m")).to_be_visible()
        site.clock.advance(minutes=29)
        page.reload()
        expect(page.get_by_text("Signed in as minister.m")).to_be_visible()
        site.clock.advance(minutes=30)
        page.goto(site.url + "/ministerial-acts")
        expect(page).to_have_url(re.compile(r"/login\?next=/ministerial-acts$"))
        page.screenshot(path=site.shots / "sign-in-4-expired.png", full_page=True)


FORGED = """<!doctype html><html><body>
<form id="f" method="post" action="{target}/ministerial-acts">
<input name="command" value="suspend"><input name="destination" value="TR"><input name="item_group" value="2">
<input name="effective_date" value="2020-10-05"><input name="reason" value="forged">
<input name="decision_ref" value="FORGED-1"></form>
<script>document.getElementById("f").submit()</script></body></html>"""


@pytest.fixture
def evil_site(sign_in_site: SignInSite) -> Iterator[str]:
    """Another site (localhost is not 127.0.0.1's site) serving a self-submitting forged form."""
    body = FORGED.format(target=sign_in_site.url).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_forged_cross_site_posts_are_refused_and_change_nothing(
    sign_in_site: SignInSite, evil_site: str
) -> None:
    site = sign_in_site
    before = suspended_count(site.system)
    assert before[0] == 0  # no permit suspended yet (the forged act would suspend 29)
    with chromium_page() as page:
        page.goto(site.url + "/login?next=/ministerial-acts")
        sign_in_page(page, site.clock, "minister.m", E2E_PASSWORD, site.minister_secret)
        expect(page.get_by_role("heading", name="Ministerial act in bulk")).to_be_visible()

        # 1. A page of another site submits the form in the minister's browser (Origin: localhost).
        with page.expect_response(re.compile(r"/ministerial-acts$")) as answer:
            page.goto(evil_site)
        # Refused, never executed: the browser does not send the Lax session cookie cross-site, so
        # the request is anonymous and is sent to sign in (or, carrying a cookie, refused 403).
        refused = answer.value
        assert refused.status == 403 or (
            refused.status == 303 and refused.headers["location"].startswith("/login")
        )
        page.screenshot(path=site.shots / "sign-in-5-forged.png", full_page=True)

        # 2. The same post with the minister's session cookie and a foreign Origin, token or not.
        form = {
            "command": "suspend",
            "destination": "TR",
            "item_group": "2",
            "effective_date": "2020-10-05",
            "reason": "forged",
            "decision_ref": "FORGED-2",
        }
        foreign = page.request.post(
            site.url + "/ministerial-acts",
            form=form,
            headers={"Origin": "https://evil.example"},
            max_redirects=0,
        )
        assert foreign.status == 403

        # 3. With the cookie, no Origin and no token (as an old browser or a plugin might send it).
        bare = page.request.post(site.url + "/ministerial-acts", form=form, max_redirects=0)
        assert bare.status == 403 and "form token" in bare.text()

        # 4. Sign-out is a form too: without the token it is refused, and the session lives on.
        assert page.request.post(site.url + "/logout", form={}, max_redirects=0).status == 403
        page.goto(site.url + "/ministerial-acts")
        expect(page.get_by_role("heading", name="Ministerial act in bulk")).to_be_visible()
    assert suspended_count(site.system) == before
