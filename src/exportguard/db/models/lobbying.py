"""Lobbying communications on the record (Canada's Registry of Lobbyists, open data format)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, UTCDateTime


class LobbyingCommunication(Base):
    """One monthly communication report: a lobbyist, for a client, with officials, on subjects."""

    __tablename__ = "lobbying_communications"

    id: Mapped[int] = mapped_column(primary_key=True)
    comlog_id: Mapped[str] = mapped_column(String(32), unique=True)  # the registry's COMLOG_ID
    client: Mapped[str] = mapped_column(String(300), index=True)
    client_number: Mapped[str] = mapped_column(String(32), default="")
    lobbyist: Mapped[str] = mapped_column(String(300))  # the registrant who filed the report
    registrant_number: Mapped[str] = mapped_column(String(32), default="")
    registration_type: Mapped[str] = mapped_column(String(8), default="")
    communicated_on: Mapped[date] = mapped_column(Date, index=True)
    posted_on: Mapped[date | None] = mapped_column(Date)
    officials: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    institutions: Mapped[list[str]] = mapped_column(JSON)
    subject_matters: Mapped[list[str]] = mapped_column(JSON)
    amends: Mapped[str] = mapped_column(String(32), default="")
    digest: Mapped[str] = mapped_column(String(64))  # of the record's content: a changed re-import is seen


class LobbyingImport(Base):
    """One import of the registry's export: the same file applied again changes nothing."""

    __tablename__ = "lobbying_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(300))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(80))
    added: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
