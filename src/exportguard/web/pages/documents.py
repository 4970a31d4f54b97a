"""Documents: each permit version and each decision as a printable PDF, and the public page a permit's
QR code / short link opens, saying whether that version is in force today.

The PDFs are read under the permit's and the application's rules (services/permits/documents.py,
services/applications/letters.py). The verification page needs no sign-in: the code printed on the
document is its key, and it shows only number, version, state and dates (domain/verification.py).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from exportguard.reports.decision_letter import render_decision_letter
from exportguard.reports.permit_document import render_permit, verification_url
from exportguard.services.applications.letters import decision_letter
from exportguard.services.permits.documents import permit_document, verify_permit
from exportguard.web.auth import PageActor, System
from exportguard.web.pages.rendering import page
from exportguard.web.params import RecordIdPath

router = APIRouter()


def pdf(content: bytes, filename: str) -> Response:
    # Shown in the browser's PDF viewer (our own document, never an upload); no copy kept in caches.
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/permits/{id_or_number}/permit.pdf")
def permit_pdf(request: Request, system: System, actor: PageActor, id_or_number: str) -> Response:
    with system.read() as session:
        doc = permit_document(session, actor, id_or_number, system.clock.today())
    url = verification_url(str(request.base_url), doc.permit.id, doc.verification_code)
    return pdf(render_permit(doc, url), f"{doc.permit.number}-v{doc.permit.version}.pdf")


@router.get("/applications/{application_id}/decision.pdf")
def decision_pdf(
    request: Request, system: System, actor: PageActor, application_id: RecordIdPath
) -> Response:
    with system.read() as session:
        letter = decision_letter(session, actor, application_id)
    app = letter.application
    return pdf(render_decision_letter(letter), f"{app.reference}-v{app.version}-decision.pdf")


@router.get("/v/{permit_id}/{code}")
def verification_page(
    request: Request, system: System, actor: PageActor, permit_id: RecordIdPath, code: str
) -> Response:
    with system.read() as session:
        found = verify_permit(session, actor, permit_id, code, system.clock.today())
    response = page(request, "verification.html", actor, v=found)
    response.headers["Cache-Control"] = "no-store"
    return response
