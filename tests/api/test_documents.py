"""Permit documents and decision letters as PDF, and the public verification page of a permit."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

from pypdf import PdfReader

from exportguard.adapters.clock import FixedClock
from exportguard.domain.assessment import DenialReason
from exportguard.domain.permits import PermitCommand
from exportguard.services.applications import assessments
from exportguard.services.applications import commands as applications
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import MINISTER, OFFICER, World, issued, submitted


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)


def verification_link(text: str) -> str:
    found = re.search(r"/v/\d+/[0-9a-f]{16}", text)
    assert found, text
    return found[0]


def suspend(eg: ExportGuard, permit_id: int, day: date) -> None:
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(uow, permit_id, PermitCommand.SUSPEND, Act(reason="review", effective_date=day))


def test_permit_pdf_prints_what_the_permit_licenses(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    sign_in(api.client, "exporter")
    response = api.client.get(f"/permits/{permit.number}/permit.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    for fact in (
        permit.number,
        "Baykar Makina",
        "Turkish Ministry of National Defence",
        "2020-05-15 to 2021-06-30",
        "2-15",
        "7 unit",
        "EIPA s.7(1)",
    ):
        assert fact in text, fact
    assert verification_link(text) == f"/v/{permit.id}/" + verification_link(text).rsplit("/", 1)[1]


def test_pdf_keeps_the_permit_rules(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    sign_in(api.client, "rival")
    assert api.client.get(f"/permits/{permit.id}/permit.pdf").status_code == 404
    api.client.post("/logout")
    anonymous = api.client.get(f"/permits/{permit.id}/permit.pdf", follow_redirects=False)
    assert anonymous.status_code == 303


def test_verification_page_is_public_and_says_since_when(
    api: Api, eg: ExportGuard, w: World, clock: FixedClock
) -> None:
    permit = issued(eg, w)
    sign_in(api.client, "officer")
    link = verification_link(pdf_text(api.client.get(f"/permits/{permit.id}/permit.pdf").content))
    api.client.post("/logout")
    clock.set(datetime(2020, 10, 1, 9, 0, tzinfo=UTC))
    suspend(eg, permit.id, date(2020, 10, 5))
    before = api.client.get(link)
    assert before.status_code == 200
    assert "In force" in before.text
    clock.set(datetime(2020, 10, 6, 9, 0, tzinfo=UTC))
    page = api.client.get(link)
    assert page.status_code == 200
    assert "Not in force" in page.text
    assert "suspended</strong> since 2020-10-05" in page.text
    assert page.headers["cache-control"] == "no-store"
    # Only number, version, state and dates: no party, quantity or value.
    for secret in ("Baykar", "L3Harris", "10,500,000", "MX-15D"):
        assert secret not in page.text


def test_a_wrong_code_or_permit_is_the_same_404(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    wrong_code = api.client.get(f"/v/{permit.id}/0123456789abcdef")
    no_permit = api.client.get("/v/999999/0123456789abcdef")
    assert wrong_code.status_code == no_permit.status_code == 404
    assert "no permit matches this verification link" in wrong_code.text


def test_amended_version_has_its_own_document_and_the_old_one_says_superseded(
    api: Api, eg: ExportGuard, w: World, clock: FixedClock
) -> None:
    permit = issued(eg, w)
    clock.set(datetime(2020, 7, 1, 9, 0, tzinfo=UTC))
    with eg.uow(MINISTER) as uow:
        new = permits.amend_permit(
            uow, permit.id, permits.AmendInput(reason="extend delivery", valid_to=date(2021, 12, 31))
        )
    sign_in(api.client, "officer")
    old_link = verification_link(pdf_text(api.client.get(f"/permits/{permit.id}/permit.pdf").content))
    text = pdf_text(api.client.get(f"/permits/{new.id}/permit.pdf").content)
    assert "This version replaces version 1 from 2020-07-01" in text
    assert "extend delivery" in text
    assert verification_link(text) != old_link
    old = api.client.get(old_link).text
    assert "replaced by a later version</strong> since 2020-07-01" in old
    assert "Its latest version is version 2" in old


def test_decision_letter(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    sign_in(api.client, "exporter")
    response = api.client.get(f"/applications/{permit.application_id}/decision.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    for fact in ("The application is approved.", "low risk", "director", f"{permit.number}/v1"):
        assert fact in text, fact
    sign_in(api.client, "rival")
    assert api.client.get(f"/applications/{permit.application_id}/decision.pdf").status_code == 404


def test_documents_in_french(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    sign_in(api.client, "exporter")
    text = pdf_text(api.client.get(f"/permits/{permit.id}/permit.pdf?lang=fr").content)
    for fact in (
        "Licence d'exportation",
        "du 2020-05-15 au 2021-06-30 inclusivement",
        "Titulaire de la licence",
    ):
        assert fact in text, fact
    letter = pdf_text(
        api.client.get(
            f"/applications/{permit.application_id}/decision.pdf", headers={"Accept-Language": "fr-CA"}
        ).content
    )
    assert "La demande est approuvée." in letter
    page = api.client.get(verification_link(text) + "?lang=fr").text
    assert "En vigueur" in page or "en vigueur" in page


def test_denial_letter_gives_each_reason_with_its_source(api: Api, eg: ExportGuard, w: World) -> None:
    app = submitted(eg, w)
    with eg.uow(OFFICER) as uow:
        applications.begin_review(uow, app.id)
    with eg.uow(MINISTER) as uow:
        assessments.deny_application(
            uow,
            app.id,
            assessments.DenialInput(
                reasons=[DenialReason.DIVERSION, DenialReason.IHL], justification="the end user re-exports"
            ),
        )
    sign_in(api.client, "exporter")
    text = pdf_text(api.client.get(f"/applications/{app.id}/decision.pdf").content)
    for fact in (
        "The application is denied.",
        "diverted to an unauthorised end user",
        "international humanitarian law (EIPA s.7.3(1)(b)(i))",
        "the end user re-exports",
        "Federal Court",
    ):
        assert fact in text, fact
    assert "Permits issued" not in text
    no_decision = submitted(eg, w)
    assert api.client.get(f"/applications/{no_decision.id}/decision.pdf").status_code == 404
