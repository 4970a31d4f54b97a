"""The record of the border's checks read back: the recent questions and their answers (EPR s.5-6).

Each check asked of ``authorisations.check_authorisation`` (and each declaration file checked) is a
row of ``authorisation_checks``: who asked, when, the question and the answer. Whoever may ask
(PERMISSIONS[CHECK_AUTHORISATION]) may read them back, newest first; exporters read only the checks
asked by their own organisation's principals, never another organisation's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from exportguard.db.models import AuthorisationCheck, Principal
from exportguard.domain.access import Action, Actor, require
from exportguard.services.common import View

RECENT = 50
FILE_PREFIX = "file:"  # declarations.file_check_row: a file's check names the file, not a permit


class RecordedCheck(View):
    id: int
    asked_at: datetime
    principal: str
    role: str
    permit: str  # as presented, or the file's name
    permit_id: int | None
    file_lines: int | None  # a declaration file's check: how many lines it had
    shipped_on: date | None  # the date asked about (None for a file)
    authorised: bool
    reasons: list[str]


def _reason(r: dict[str, Any]) -> str:
    message = str(r.get("message", ""))
    # A file's unreadable lines are named by their field ("line 4"); a check's reason says it all.
    return f"{r.get('field', '')}: {message}" if r.get("code") == "bad_line" else message


def _view(row: AuthorisationCheck) -> RecordedCheck:
    is_file = row.permit_ref.startswith(FILE_PREFIX) and row.permit_id is None
    lines = row.question.get("lines") if is_file else None
    return RecordedCheck(
        id=row.id,
        asked_at=row.asked_at,
        principal=row.principal,
        role=row.role,
        permit=row.permit_ref.removeprefix(FILE_PREFIX) if is_file else row.permit_ref,
        permit_id=row.permit_id,
        file_lines=lines if isinstance(lines, int) else None,
        shipped_on=None if is_file else row.shipped_on,
        authorised=row.authorised,
        reasons=[_reason(r) for r in row.reasons],
    )


def _visible(actor: Actor, stmt: Select[AuthorisationCheck]) -> Select[AuthorisationCheck]:
    if not actor.limited_to_own_records:
        return stmt
    if actor.organisation_id is None:
        return stmt.where(AuthorisationCheck.principal == actor.principal)
    colleagues = select(Principal.username).where(Principal.organisation_id == actor.organisation_id)
    return stmt.where(AuthorisationCheck.principal.in_(colleagues))


def recent_checks(session: Session, actor: Actor, limit: int = RECENT) -> list[RecordedCheck]:
    """The last ``limit`` checks recorded that ``actor`` may see, newest first."""
    require(actor, Action.CHECK_AUTHORISATION)
    # Newest recorded first: by id, the order of recording (the primary key's index answers it).
    stmt = select(AuthorisationCheck).order_by(AuthorisationCheck.id.desc()).limit(limit)
    return [_view(row) for row in session.scalars(_visible(actor, stmt))]
