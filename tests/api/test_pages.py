"""The HTML pages through the same TestClient: sign-in, register filters, permit, application, audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from exportguard.adapters.clock import FixedClock
from exportguard.demo.replay import DEMO_PASSWORD, demo_totp_secret
from exportguard.services.system import ExportGuard
from tests.api.conftest import PASSWORD, Api, PageClient
from tests.factories import World, issued


def sign_in(client: TestClient, who: str, *, demo: bool = False, next_page: str = "/permits") -> None:
    """Sign ``who`` in on the pages (``demo``: a demo account, with the demo's credentials)."""
    assert isinstance(client, PageClient)
    if demo:
        response = client.sign_in(who, DEMO_PASSWORD, demo_totp_secret(who), next_page=next_page)
    else:
        response = client.sign_in(who, next_page=next_page)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == next_page
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()


def test_pages_need_a_signed_in_principal(api: Api) -> None:
    response = api.client.get("/permits", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/permits")
    assert api.client.get("/login").status_code == 200
    filtered = api.client.get("/permits?destination=TR&as_of=2020-10-06", follow_redirects=False)
    assert filtered.headers["location"] == "/login?next=/permits%3Fdestination%3DTR%26as_of%3D2020-10-06"
    form = api.client.get(filtered.headers["location"]).text
    assert 'name="next" value="/permits?destination=TR&amp;as_of=2020-10-06"' in form


def test_a_wrong_password_is_refused_and_sets_no_session(api: Api) -> None:
    response = api.client.post("/login", data={"username": "officer", "password": "token-director"})
    assert response.status_code == 401
    assert "username or password is wrong" in response.text
    assert "eg_session" not in response.headers.get("set-cookie", "")


def test_next_page_must_be_on_this_site(api: Api) -> None:
    response = api.client.post(
        "/login",
        data={"username": "exporter", "password": PASSWORD, "next": "//evil.example"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/permits"


def test_register_filters_and_permit_timeline(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    api.post(
        f"/permits/{permit.id}/suspend", "minister", json={"reason": "review", "effective_date": "2020-10-05"}
    )
    sign_in(api.client, "officer")
    on_4th = api.client.get("/permits?destination=TR&as_of=2020-10-04&status=&item_code=2-15").text
    assert permit.number in on_4th
    assert "tag-active" in on_4th
    on_6th = api.client.get("/permits?destination=TR&as_of=2020-10-06&status=active").text
    assert "No permits match these filters." in on_6th
    page = api.client.get(f"/permits/{permit.id}?as_of=2020-10-06").text
    for text in (
        "On 2020-10-06 this permit was",
        "effective 2020-10-05",
        "EIPA s.10(1)",
        "minister",
        "review",
    ):
        assert text in page
    by_number = api.client.get(f"/permits/{permit.number}")
    assert by_number.status_code == 200


def test_bad_filter_is_shown_beside_the_form(api: Api) -> None:
    sign_in(api.client, "officer")
    response = api.client.get("/permits?as_of=2020-13-45&holder_id=abc")
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert 'id="as_of"' in response.text
    assert "holder_id" in response.text


def test_application_page(api: Api, eg: ExportGuard, w: World, clock: FixedClock) -> None:
    permit = issued(eg, w)
    clock.set(datetime(2020, 6, 1, 9, 0, tzinfo=UTC))  # the page lists permits as they stand today
    sign_in(api.client, "exporter")
    page = api.client.get(f"/applications/{permit.application_id}").text
    for text in (
        "Baykar Makina",
        "end-use certificate",
        "Approved",
        permit.number,
        "10,500,000.00 CAD",
    ):
        assert text in page
    # The EIPA s.7.3 findings are the government's: the officer reads them, the applicant does not.
    assert "assessed ihl" not in page
    sign_in(api.client, "officer")
    assert "assessed ihl" in api.client.get(f"/applications/{permit.application_id}").text


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("rival", "/permits/{permit}", 404),
        ("customs", "/applications/{application}", 403),
        ("exporter", "/audit", 403),
    ],
)
def test_pages_keep_the_same_rules(
    api: Api, eg: ExportGuard, w: World, who: str, path: str, status: int
) -> None:
    permit = issued(eg, w)
    sign_in(api.client, who)
    response = api.client.get(path.format(permit=permit.id, application=permit.application_id))
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")


def test_audit_page_and_sign_out(api: Api, eg: ExportGuard, w: World) -> None:
    issued(eg, w)
    sign_in(api.client, "auditor")
    page = api.client.get("/audit").text
    assert "Verified" in page
    assert "issue permit" in page
    out = api.client.post("/logout", follow_redirects=False)
    assert out.headers["location"] == "/login"
    assert api.client.get("/audit", follow_redirects=False).status_code == 303


def test_unknown_page_is_html_and_docs_are_served(api: Api) -> None:
    missing = api.client.get("/nowhere")
    assert (missing.status_code, missing.headers["content-type"].split(";")[0]) == (404, "text/html")
    docs = api.client.get("/docs")
    assert docs.status_code == 200
    assert "/api/permits/{permit_id}/suspend" in docs.text
    assert "cdn" not in docs.text.lower()
    assert "default-src 'self'" in docs.headers["content-security-policy"]
    assert "/api/permits/{permit_id}/suspend" in api.client.get("/openapi.json").json()["paths"]
