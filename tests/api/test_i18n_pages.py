"""Pages in English and French: Accept-Language, the ?lang= switch remembered in a cookie,
<html lang>, and the words, labels and numbers of a page in the chosen language."""

from __future__ import annotations

from exportguard.web.locale import LANG_COOKIE
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import World, issued


def test_accept_language_chooses_french(api: Api) -> None:
    page = api.client.get("/login", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Se connecter" in page.text and "Sign in" not in page.text
    assert page.headers["content-language"] == "fr"
    assert "Accept-Language" in page.headers["vary"]
    # the switch offers the other language, marked as such for screen readers
    assert 'href="/login?lang=en" lang="en" hreflang="en">English</a>' in page.text


def test_english_by_default_with_a_switch_to_french(api: Api) -> None:
    page = api.client.get("/login?next=/permits", headers={"Accept-Language": "de"})
    assert '<html lang="en">' in page.text
    assert 'href="/login?next=%2Fpermits&amp;lang=fr" lang="fr" hreflang="fr">Français</a>' in page.text


def test_the_switch_is_remembered(api: Api) -> None:
    chosen = api.client.get("/login?lang=fr")
    assert f"{LANG_COOKIE}=fr" in chosen.headers["set-cookie"]
    assert '<html lang="fr">' in chosen.text
    # the cookie now outranks the browser's English
    again = api.client.get("/login", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in again.text
    back = api.client.get("/login?lang=en")
    assert '<html lang="en">' in back.text
    assert '<html lang="en">' in api.client.get("/login").text


def test_an_unknown_language_is_english(api: Api) -> None:
    page = api.client.get("/login?lang=xx", headers={"Accept-Language": "xx"})
    assert '<html lang="en">' in page.text
    assert "lang" not in page.headers.get("set-cookie", "")  # (the sign-in form's CSRF cookie only)


def test_a_permit_page_in_french(api: Api, eg: object, w: World) -> None:
    permit = issued(eg, w)  # type: ignore[arg-type]
    sign_in(api.client, "officer")
    page = api.client.get(f"/permits/{permit.id}?lang=fr").text
    words = (f"Licence {permit.number}", "Titulaire (exportateur)", "Destinataire", "Chronologie")
    for text in words:
        assert text in page, text
    register = api.client.get("/permits?destination=TR").text
    assert "Registre des licences" in register


def test_an_error_page_in_french(api: Api) -> None:
    sign_in(api.client, "officer")
    missing = api.client.get("/permits/999999", headers={"Accept-Language": "fr"})
    assert missing.status_code == 404
    assert "Introuvable" in missing.text
    api_missing = api.get("/permits/999999", "officer", headers={"Accept-Language": "fr"})
    assert api_missing.json()["title"] == "Not found"  # the API keeps its English title


def test_french_money_is_written_the_french_way(api: Api, eg: object, w: World) -> None:
    permit = issued(eg, w)  # type: ignore[arg-type]
    sign_in(api.client, "exporter")
    page = api.client.get(f"/applications/{permit.application_id}?lang=fr").text
    assert "10\u202f500\u202f000,00 CAD" in page
    assert "certificat d’utilisation finale" in page or "certificat d&#39;utilisation finale" in page
