"""Registering parties and products in the browser, the audit log's filters, and menus by role."""

from __future__ import annotations

import re

import pytest

from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import World, issued


def test_an_officer_registers_a_party_and_errors_stand_beside_their_field(api: Api) -> None:
    sign_in(api.client, "officer")
    page = api.client.get("/parties")
    assert page.status_code == 200 and "Register a party" in page.text
    bad = api.client.post("/parties", data={"kind": "organisation", "name": "Acme Optics", "country": "ZZ"})
    assert bad.status_code == 422
    assert re.search(r'id="party-country-error">[^<]*ZZ', bad.text)
    assert 'value="Acme Optics"' in bad.text  # what was typed is kept
    done = api.client.post(
        "/parties",
        data={"kind": "organisation", "name": "Acme Optics", "country": "CA", "city": "Ottawa"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    listed = api.client.get(done.headers["location"]).text
    assert "Acme Optics" in listed and "registered" in listed


def test_a_product_is_classified_by_picking_control_list_items(api: Api, w: World) -> None:
    sign_in(api.client, "officer")
    page = api.client.get("/products").text
    assert '<optgroup label="Group 2: ' in page
    assert '<option value="2-15"' in page
    form = {
        "maker_id": str(w.exporter_id),
        "model": "MX-25",
        "name": "MX-25 turret",
        "item_code": ["2-15", "", ""],
        "rationale": ["imaging turret designed for military use", "", ""],
    }
    done = api.client.post("/products", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text
    assert "MX-25" in api.client.get("/products").text
    again = api.client.post("/products", data=form)
    assert again.status_code == 409 and "already registered" in again.text
    none = api.client.post("/products", data={**form, "model": "MX-26", "item_code": ["", "", ""]})
    assert none.status_code == 422


@pytest.mark.parametrize(
    ("who", "path"), [("advisor", "/parties"), ("exporter", "/products"), ("customs", "/parties")]
)
def test_the_forms_are_only_for_those_who_may(api: Api, who: str, path: str) -> None:
    sign_in(api.client, who)
    page = api.client.get(path)
    assert page.status_code == 200
    assert "Register a" not in page.text
    assert api.client.post(path, data={"name": "X", "country": "CA"}).status_code == 403


def test_audit_is_newest_first_filtered_and_paged(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    sign_in(api.client, "auditor")
    page = api.client.get("/audit").text
    seqs = [int(s) for s in re.findall(r"<tr><td>(\d+)</td>", page)]
    assert seqs == sorted(seqs, reverse=True) and len(seqs) > 3
    only = api.client.get(f"/audit?subject_ref={permit.number}&command=issue_permit").text
    assert len(re.findall(r"<tr><td>(\d+)</td>", only)) == 1
    assert "<td>issue permit</td>" in only
    by_officer = api.client.get("/audit?principal=officer.ortiz").text
    assert "director.dupuis" not in by_officer
    none = api.client.get("/audit?recorded_from=2030-01-01").text
    assert "No events match these filters." in none
    bad = api.client.get("/audit?recorded_from=2020-02-30&recorded_to=x")
    assert bad.status_code == 422 and "There is a problem" in bad.text
    older = api.client.get(f"/audit?before_seq={seqs[1]}").text
    assert [int(s) for s in re.findall(r"<tr><td>(\d+)</td>", older)] == seqs[2:]


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        (
            "exporter",
            ["/permits", "/parties"],
            ['href="/audit"', 'href="/screening"', 'href="/ministerial-acts"'],
        ),
        ("customs", ["/border", "/permits"], ['href="/audit"', 'href="/screening"']),
        ("auditor", ['href="/audit"', "/screening"], ['href="/ministerial-acts"']),
        ("minister", ['href="/audit"', 'href="/ministerial-acts"'], []),
    ],
)
def test_menus_offer_only_what_the_role_may_open(
    api: Api, who: str, shown: list[str], hidden: list[str]
) -> None:
    sign_in(api.client, who)
    menu = api.client.get("/measures").text.split('aria-label="Main"')[1].split("</nav>")[0]
    for link in shown:
        assert link in menu, link
    for link in hidden:
        assert link not in menu, link
    for href in re.findall(r'href="(/[^"#?]*)"', menu):
        assert api.client.get(href).status_code == 200, href


def test_the_public_menu_has_no_link_that_asks_to_sign_in(api: Api) -> None:
    menu = api.client.get("/measures").text.split('aria-label="Main"')[1].split("</nav>")[0]
    for href in re.findall(r'href="(/[^"#?]*)"', menu):
        assert api.client.get(href, follow_redirects=False).status_code == 200, href
