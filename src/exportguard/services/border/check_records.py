"""The record of the border's checks read back: the questions and their answers (EPR s.5-6).

Each check asked of ``authorisations.check_authorisation`` (and each declaration file checked) is a
row of ``authorisation_checks``: who asked, when, the question and the answer. Whoever may read them
(PERMISSIONS[READ_CHECKS]: those who may ask, and auditors) reads them back newest first, filtered
by permit, principal, answer and the days asked; exporters read only the checks asked by their own
organisation's principals, never another organisation's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from pydantic import Field, ValidationInfo, computed_field, field_validator
from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from exportguard.db.models import AuthorisationCheck, Permit
from exportguard.domain.access import Action, Actor, require
from exportguard.services.border.authorisations import RecordedReason
from exportguard.services.border.declarations import FILE_PREFIX
from exportguard.services.border.visibility import visible_checks
from exportguard.services.kernel.common import Input, NonEmpty, View, record_id

RECENT = 50
MAX_LISTED = 1000
Answer = Literal["authorised", "refused"]


class CheckFilter(Input):
    """Which recorded checks to list; every filter given must hold."""

    permit: NonEmpty | None = Field(
        default=None,
        max_length=64,
        description="Permit number as presented, or its id: checks presented so, or answered on it",
    )
    principal: NonEmpty | None = Field(default=None, max_length=80, description="Who asked (username)")
    answer: Answer | None = Field(default=None, description="authorised or refused")
    asked_from: date | None = Field(default=None, description="Asked on or after this day (UTC)")
    asked_to: date | None = Field(default=None, description="Asked on or before this day (UTC)")
    limit: int = Field(default=RECENT, ge=1, le=MAX_LISTED, description="At most this many, newest first")

    @field_validator("asked_to")
    @classmethod
    def _not_before_from(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("asked_from")
        if value is not None and start is not None and value < start:
            raise ValueError(f"{value} is before asked_from {start}")
        return value


class RecordedCheck(View):
    """A check as the border page shows it: a file's check named by its file, reasons as text."""

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


class CheckRecord(View):
    """A check as recorded: the question and the reasons exactly as stored.

    A declaration file's check has ``permit_ref`` ``file:NAME``, no ``permit_id``, the day it was
    checked as ``shipped_on``, and the question ``{file, sha256, lines}``.
    """

    id: int
    asked_at: datetime
    principal: str
    role: str
    permit_ref: str  # the permit as presented (at most 64 characters), or file:NAME
    permit_id: int | None  # the permit version the answer was about, if one was found
    shipped_on: date
    question: dict[str, Any]
    authorised: bool
    reasons: list[RecordedReason]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def because(self) -> str:
        """The reasons' messages in one line (for tables and CSV)."""
        return "; ".join(r.message for r in self.reasons)


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


def _newest(actor: Actor, limit: int, *conditions: ColumnElement[bool]) -> Select[AuthorisationCheck]:
    require(actor, Action.READ_CHECKS)
    # Newest recorded first: by id, the order of recording (the primary key's index answers it).
    stmt = select(AuthorisationCheck).where(*conditions).order_by(AuthorisationCheck.id.desc()).limit(limit)
    return stmt.where(visible_checks(actor))


def _on_permit(key: str) -> ColumnElement[bool]:
    """Checks presented as ``key``, or answered on a permit it names: a version's id, or any version
    of a number (a check presented by id is still found by the permit's number)."""
    versions = select(Permit.id).where(Permit.number == key)
    matches = [AuthorisationCheck.permit_ref == key, AuthorisationCheck.permit_id.in_(versions)]
    if (found := record_id(key)) is not None:
        matches.append(AuthorisationCheck.permit_id == found)
    return or_(*matches)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _conditions(f: CheckFilter) -> list[ColumnElement[bool]]:
    out = []
    if f.permit is not None:
        out.append(_on_permit(f.permit))
    if f.principal is not None:
        out.append(AuthorisationCheck.principal == f.principal)
    if f.answer is not None:
        out.append(AuthorisationCheck.authorised.is_(f.answer == "authorised"))
    if f.asked_from is not None:
        out.append(AuthorisationCheck.asked_at >= _start_of(f.asked_from))
    if f.asked_to is not None:  # the whole of that day: before the next one starts
        out.append(AuthorisationCheck.asked_at < _start_of(f.asked_to + timedelta(days=1)))
    return out


def recent_checks(session: Session, actor: Actor, limit: int = RECENT) -> list[RecordedCheck]:
    """The last ``limit`` checks recorded that ``actor`` may see, newest first (the border page)."""
    return [_view(row) for row in session.scalars(_newest(actor, limit))]


def list_checks(session: Session, actor: Actor, f: CheckFilter) -> list[CheckRecord]:
    """The checks matching ``f`` that ``actor`` may see, newest first, at most ``f.limit``."""
    stmt = _newest(actor, f.limit, *_conditions(f))
    return [CheckRecord.model_validate(row) for row in session.scalars(stmt)]
