"""Exporters' use of general export permits: yearly notification and semi-annual reports (GEP 41 s.4)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, UTCDateTime


class GeneralPermitRegistration(Base):
    """GEP 41 s.4(a): notified before the first export under the permit in a calendar year."""

    __tablename__ = "general_permit_registrations"
    __table_args__ = (UniqueConstraint("exporter_id", "permit", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exporter_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    permit: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    notified_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GeneralPermitReport(Base):
    """GEP 41 s.4(b): the report for a six-month period ending 31 Jan or 31 Jul."""

    __tablename__ = "general_permit_reports"
    __table_args__ = (UniqueConstraint("exporter_id", "permit", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exporter_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    permit: Mapped[str] = mapped_column(String(16))
    period_end: Mapped[date] = mapped_column(Date)
    filed_on: Mapped[date] = mapped_column(Date)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
