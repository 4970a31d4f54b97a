"""Casework on an application: who has it, requests for information and their answers, advice
requested from other departments, and the files an exporter uploads (end-use certificates,
contracts, answers)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, UTCDateTime, check_in
from exportguard.domain.applications import DocumentKind


class CaseAssignment(Base):
    """The officer who has the case now (one row per application; history is in the audit log)."""

    __tablename__ = "case_assignments"

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    officer: Mapped[str] = mapped_column(String(80), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InformationRequest(Base):
    """An officer's question to the applicant, and the applicant's answer (EPR s.3: the Minister
    may ask for any information needed to assess the application)."""

    __tablename__ = "information_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    asked_by: Mapped[str] = mapped_column(String(80))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(80))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AdviceRequest(Base):
    """The case sent to another department for advice, by a date."""

    __tablename__ = "advice_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    department: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str] = mapped_column(String(80))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApplicationFile(Base):
    """A supporting document's file: its bytes, SHA-256, size and sniffed type. Served back only as
    an attachment, never inline."""

    __tablename__ = "application_files"
    __table_args__ = (CheckConstraint(check_in("kind", DocumentKind), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    information_request_id: Mapped[int | None] = mapped_column(ForeignKey("information_requests.id"))
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
