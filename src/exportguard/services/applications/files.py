"""Supporting documents' files: uploaded by the applicant (with the draft or with an answer to a
request for information), kept with SHA-256, size and the type their content shows; limited in size
and type; read back only by those who may read the application, and only as an attachment."""

from __future__ import annotations

from datetime import datetime

import filetype
from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from exportguard.db.models import ApplicationFile
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.applications import ADD_A_DOCUMENT_TO, THE_APPLICATION, ApplicationState, DocumentKind
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import IllegalTransition, NotFound, Problem
from exportguard.domain.evidence import ALLOWED_TYPES, check_file
from exportguard.services.applications.commands import load_application
from exportguard.services.kernel.common import View
from exportguard.services.kernel.unit_of_work import UnitOfWork


class FileView(View):
    id: int
    application_id: int
    information_request_id: int | None
    kind: str
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


def add_file(
    uow: UnitOfWork,
    application_id: int,
    kind: DocumentKind,
    filename: str,
    content: bytes,
) -> FileView:
    """A draft's document (documents sent with an answer to a request for information come with
    the answer itself: ``answers.answer_information_request``)."""
    uow.require(Action.DRAFT_APPLICATION)
    app = load_application(uow.session, uow.actor, application_id, lock=True)
    if app.state != ApplicationState.DRAFT.value:
        raise IllegalTransition(THE_APPLICATION(), app.state, ADD_A_DOCUMENT_TO())
    view = stored_file(uow, app.id, kind, filename, content, information_request_id=None)
    uow.record(
        AuditEntry(
            command=AuditCommand.ADD_APPLICATION_FILE,
            subject_type="application",
            subject_id=app.id,
            subject_ref=f"{app.reference}/v{app.version}",
            legal_basis="Export Permits Regulations s.3",
            reason=f"{kind.value}: {view.filename}",
            effective_date=uow.clock.today(),
            before=None,
            after=view.model_dump(mode="json", exclude={"uploaded_at"}),
        )
    )
    uow.commit()
    return view


def stored_file(
    uow: UnitOfWork,
    application_id: int,
    kind: DocumentKind,
    filename: str,
    content: bytes,
    *,
    information_request_id: int | None,
) -> FileView:
    """Checks a file (size, type its content shows) and adds it to the unit of work; the caller
    records the audit event and commits."""
    guess = filetype.guess(content[:8192])
    facts = check_file(filename, content, None if guess is None else str(guess.mime))
    row = ApplicationFile(
        application_id=application_id,
        information_request_id=information_request_id,
        kind=kind.value,
        filename=filename.replace("\\", "/").rsplit("/", 1)[-1][:300],
        media_type=facts.media_type,
        size=facts.size,
        sha256=facts.sha256,
        content=content,
        uploaded_by=uow.actor.principal,
        uploaded_at=uow.clock.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    return FileView.model_validate(row)


def files_of(session: Session, actor: Actor, application_id: int) -> list[FileView]:
    require(actor, Action.READ_APPLICATIONS)
    load_application(session, actor, application_id)
    rows = session.scalars(
        select(ApplicationFile)
        .where(ApplicationFile.application_id == application_id)
        .order_by(ApplicationFile.id)
    )
    return [FileView.model_validate(r) for r in rows]


def read_file(session: Session, actor: Actor, file_id: int) -> tuple[FileView, bytes]:
    require(actor, Action.READ_APPLICATIONS)
    row = session.scalar(
        select(ApplicationFile).where(ApplicationFile.id == file_id).options(undefer(ApplicationFile.content))
    )
    if row is None:
        raise NotFound(f"no file {file_id}", [Problem("file_id", "not found")])
    load_application(session, actor, row.application_id)  # another organisation's: a 404 as well
    return FileView.model_validate(row), row.content


def download_name(view: FileView) -> str:
    """Saved under the held type's extension, never the sender's."""
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in view.filename.rsplit(".", 1)[0])[:60]
    suffix = ALLOWED_TYPES.get(view.media_type, ".bin")
    return f"application-{view.application_id}-{view.id}-{stem or 'file'}{suffix}"
