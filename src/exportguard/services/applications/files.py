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
from exportguard.domain.applications import ApplicationState, DocumentKind
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import IllegalTransition, NotFound, Problem
from exportguard.domain.evidence import ALLOWED_TYPES, check_file
from exportguard.services.applications.casework import OPEN_CASE, load_request
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
    *,
    information_request_id: int | None = None,
) -> FileView:
    """A draft's document, or one sent with the answer to a request for information."""
    uow.require(Action.DRAFT_APPLICATION if information_request_id is None else Action.SUBMIT_APPLICATION)
    app = load_application(uow.session, uow.actor, application_id, lock=True)
    allowed = (ApplicationState.DRAFT.value,) if information_request_id is None else OPEN_CASE
    if app.state not in allowed:
        raise IllegalTransition("the application", app.state, "add a document to")
    if (
        information_request_id is not None
        and load_request(uow.session, uow.actor, information_request_id).application_id != app.id
    ):
        raise NotFound("no such request on this application", [Problem("request_id", "not found")])
    guess = filetype.guess(content[:8192])
    facts = check_file(filename, content, None if guess is None else str(guess.mime))
    row = ApplicationFile(
        application_id=app.id,
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
    view = FileView.model_validate(row)
    uow.record(
        AuditEntry(
            command=AuditCommand.ADD_APPLICATION_FILE,
            subject_type="application",
            subject_id=app.id,
            subject_ref=f"{app.reference}/v{app.version}",
            legal_basis="Export Permits Regulations s.3",
            reason=f"{kind.value}: {row.filename}",
            effective_date=uow.clock.today(),
            before=None,
            after=view.model_dump(mode="json", exclude={"uploaded_at"}),
        )
    )
    uow.commit()
    return view


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
