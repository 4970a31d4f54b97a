"""An answer to a request for information with its documents: one command, all or nothing, one event."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exportguard.db.models import ApplicationFile, AuditEvent, InformationRequest
from exportguard.domain.applications import DocumentKind
from exportguard.domain.errors import Conflict, InvalidInput
from exportguard.services.applications import answers, casework
from exportguard.services.system import ExportGuard
from tests.factories import OFFICER, submitted, world

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _asked(eg: ExportGuard) -> tuple[int, int, object]:
    w = world(eg)
    app = submitted(eg, w)
    with eg.uow(OFFICER) as uow:
        rfi = casework.request_information(
            uow, app.id, casework.InformationRequestInput(question="Send the signed end-use certificate.")
        )
    return app.id, rfi, w.exporter_actor()


def _count(eg: ExportGuard, model: type) -> int:
    with eg.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_the_answer_and_its_documents_are_one_event(eg: ExportGuard) -> None:
    app_id, rfi, exporter = _asked(eg)
    events = _count(eg, AuditEvent)
    documents = [
        answers.Attachment(DocumentKind.END_USE_CERTIFICATE, "euc.pdf", PDF),
        answers.Attachment(DocumentKind.END_USE_CERTIFICATE, "annex.txt", b"Annex: serial numbers 1-4\n"),
    ]
    with eg.uow(exporter) as uow:
        files = answers.answer_information_request(
            uow, rfi, casework.AnswerInput(answer="Attached, signed."), documents
        )
    assert [(f.filename, f.media_type, f.information_request_id) for f in files] == [
        ("euc.pdf", "application/pdf", rfi),
        ("annex.txt", "text/plain", rfi),
    ]
    assert _count(eg, AuditEvent) == events + 1
    with eg.read() as s:
        event = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None and event.command == "answer_information_request"
        assert event.subject_id == app_id
        assert [f["sha256"] for f in event.after["files"]] == [f.sha256 for f in files]
        assert s.get(InformationRequest, rfi).answer == "Attached, signed."


def test_a_refused_document_leaves_nothing_recorded(eg: ExportGuard) -> None:
    _app_id, rfi, exporter = _asked(eg)
    events, held = _count(eg, AuditEvent), _count(eg, ApplicationFile)
    documents = [
        answers.Attachment(DocumentKind.CONTRACT, "contract.pdf", PDF),
        answers.Attachment(DocumentKind.CONTRACT, "page.html", b"<html><script>x</script></html>"),
    ]
    with pytest.raises(InvalidInput, match="markup"), eg.uow(exporter) as uow:
        answers.answer_information_request(uow, rfi, casework.AnswerInput(answer="Here."), documents)
    assert (_count(eg, AuditEvent), _count(eg, ApplicationFile)) == (events, held)
    with eg.read() as s:
        assert s.get(InformationRequest, rfi).answer is None  # still to answer, with good files


def test_an_answer_is_given_once(eg: ExportGuard) -> None:
    _app_id, rfi, exporter = _asked(eg)
    with eg.uow(exporter) as uow:
        assert answers.answer_information_request(uow, rfi, casework.AnswerInput(answer="Yes.")) == []
    with pytest.raises(Conflict, match="answered"), eg.uow(exporter) as uow:
        answers.answer_information_request(
            uow,
            rfi,
            casework.AnswerInput(answer="Again."),
            [answers.Attachment(DocumentKind.OTHER, "a.txt", b"a")],
        )
    assert _count(eg, ApplicationFile) == 0
