"""The printed page: names keep their letters, what the font cannot draw is transliterated."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from exportguard import i18n
from exportguard.domain.permits import PermitCommand, PermitState, StateChange
from exportguard.domain.verification import NOT_YET_VALID, code_matches, code_of, standing_on
from exportguard.reports.pdf import Sheet, printable, remembered


def test_latin_letters_are_kept_and_others_transliterated() -> None:
    assert printable("Baykar Makina Sanayi ve Ticaret A.Ş. — Société générale") == (
        "Baykar Makina Sanayi ve Ticaret A.Ş. — Société générale"
    )
    assert printable("北京") == "BeiJing"


def test_a_sheet_prints_french_and_turkish_text() -> None:
    sheet = Sheet("Licence d'exportation", "pied de page", lambda s: s)
    sheet.heading("Licence d'exportation")
    sheet.facts([("Titulaire", "Baykar Makina Sanayi ve Ticaret A.Ş., İstanbul")])
    sheet.qr("http://127.0.0.1/v/1/0123456789abcdef", 150, 30, 30)
    text = PdfReader(io.BytesIO(sheet.output_bytes())).pages[0].extract_text()
    assert "Licence d'exportation" in text
    assert "A.Ş., İstanbul" in text


H = [
    StateChange(PermitState.ACTIVE, PermitCommand.ISSUE, date(2020, 5, 22)),
    StateChange(PermitState.SUSPENDED, PermitCommand.SUSPEND, date(2020, 10, 5)),
    StateChange(PermitState.CANCELLED, PermitCommand.CANCEL, date(2021, 4, 12)),
]
VALID = {"valid_from": date(2020, 5, 22), "valid_to": date(2021, 6, 30)}


def test_standing_says_since_when() -> None:
    assert standing_on(H, date(2020, 10, 4), **VALID).in_force
    suspended = standing_on(H, date(2020, 10, 6), **VALID)
    assert (suspended.status, suspended.since, suspended.in_force) == ("suspended", date(2020, 10, 5), False)
    cancelled = standing_on(H, date(2021, 5, 1), **VALID)
    assert (cancelled.status, cancelled.since) == ("cancelled", date(2021, 4, 12))
    expired = standing_on(H[:1], date(2021, 7, 2), **VALID)
    assert (expired.status, expired.since) == ("expired", date(2021, 7, 1))
    assert standing_on(H, date(2020, 1, 1), **VALID).status == NOT_YET_VALID


def test_codes_are_the_start_of_the_issue_event_hash() -> None:
    digest = "ab" * 32
    assert code_of(digest) == "ab" * 8
    assert code_matches(digest, " ABABABABABABABAB ")
    assert not code_matches(digest, "ab" * 7)


def test_a_document_is_rendered_once_per_facts_and_language() -> None:
    built: list[str] = []

    def build() -> bytes:
        built.append(i18n.current_locale())
        return f"%PDF-{len(built)}".encode()

    first = remembered("facts-of-a-test-document", build)
    assert remembered("facts-of-a-test-document", build) == first
    with i18n.using("fr"):
        assert remembered("facts-of-a-test-document", build) != first
    assert remembered("other facts of a test document", build) != first
    assert built == ["en", "fr", "en"]
