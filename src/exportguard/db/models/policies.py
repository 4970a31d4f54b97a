"""Destination measures (moratoria, presumptive denials, Area Control List) as recorded policy."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, UTCDateTime, check_in
from exportguard.domain.policy import MeasureKind

MEASURE_KINDS = tuple(k.value for k in MeasureKind)


class DestinationMeasure(Base):
    __tablename__ = "destination_measures"
    __table_args__ = (
        UniqueConstraint("key", "version"),
        CheckConstraint(check_in("kind", MEASURE_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    destination_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(String(300))
    legal_basis: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="")
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    item_groups: Mapped[list[int]] = mapped_column(JSON, default=list)
    item_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    exception_grounds: Mapped[list[str]] = mapped_column(JSON, default=list)
    exception_authority: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    # A lifting measure names the key of the measure it ends (from its own effective_from).
    lifts: Mapped[str | None] = mapped_column(String(64))
    # Permits issued before the measure may not be used while it is in force (Notice 992 on the
    # Oct 2019 halt: permits issued before 11 Oct 2019 "may be used again" from 16 Apr 2020).
    holds_existing_permits: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
