"""The applicant's answer to a request for information (EPR s.3), with its documents: one command.

The answer and every file sent with it are one use case: all are recorded, or (a file refused for
its size or type, the request already answered) none is, and the audit log holds one event naming
the answer and each file by its SHA-256.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exportguard.domain.access import Action
from exportguard.domain.applications import ANSWER_A_REQUEST_ON, THE_APPLICATION, DocumentKind
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import Conflict, IllegalTransition, Problem
from exportguard.services.applications.casework import EPR_3, OPEN_CASE, AnswerInput, load_request
from exportguard.services.applications.commands import load_application
from exportguard.services.applications.files import FileView, stored_file
from exportguard.services.kernel.unit_of_work import UnitOfWork

# A person attaches a few documents to one answer, not a data set.
MAX_DOCUMENTS = 5
UNAUDITED = {"uploaded_at", "application_id"}  # the event's own time and subject already say them


@dataclass(frozen=True)
class Attachment:
    """A document sent with the answer: what kind it is, its name as sent, its bytes."""

    kind: DocumentKind
    filename: str
    content: bytes


def answer_information_request(
    uow: UnitOfWork, request_id: int, data: AnswerInput, documents: Sequence[Attachment] = ()
) -> list[FileView]:
    """The applicant answers, with any documents; one commit, one audit event."""
    uow.require(Action.SUBMIT_APPLICATION)
    rfi = load_request(uow.session, uow.actor, request_id, lock=True)
    app = load_application(uow.session, uow.actor, rfi.application_id, lock=True)
    if app.state not in OPEN_CASE:
        raise IllegalTransition(THE_APPLICATION(), app.state, ANSWER_A_REQUEST_ON())
    if rfi.answer is not None:
        raise Conflict(
            f"request {rfi.id} was answered on {rfi.answered_at:%Y-%m-%d}",
            [Problem("answer", "already answered")],
        )
    if len(documents) > MAX_DOCUMENTS:
        raise Conflict(
            f"at most {MAX_DOCUMENTS} documents with one answer",
            [Problem("file", f"{len(documents)} files sent; at most {MAX_DOCUMENTS}")],
        )
    files = [
        stored_file(uow, app.id, d.kind, d.filename, d.content, information_request_id=rfi.id)
        for d in documents
    ]
    rfi.answer, rfi.answered_by, rfi.answered_at = data.answer, uow.actor.principal, uow.clock.now()
    uow.record(
        AuditEntry(
            command=AuditCommand.ANSWER_INFORMATION_REQUEST,
            subject_type="application",
            subject_id=app.id,
            subject_ref=f"{app.reference}/v{app.version}",
            legal_basis=EPR_3,
            reason="request for information answered" + (f" with {len(files)} document(s)" if files else ""),
            effective_date=uow.clock.today(),
            before={"request": rfi.id, "answer": None},
            after={
                "request": rfi.id,
                "answer": data.answer,
                "files": [f.model_dump(mode="json", exclude=UNAUDITED) for f in files],
            },
        )
    )
    uow.commit()
    return files
