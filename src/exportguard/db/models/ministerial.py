"""Ministerial decisions in bulk (EIPA s.10(1)), the permits each touched, and saved scopes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, UTCDateTime, check_in
from exportguard.domain.bulk_actions import BulkCommand


class MinisterialDecision(Base):
    """One act over many permits; its reference is the idempotency key of the execution."""

    __tablename__ = "ministerial_decisions"
    __table_args__ = (CheckConstraint(check_in("command", BulkCommand), name="command"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    command: Mapped[str] = mapped_column(String(16))
    scope: Mapped[dict[str, Any]] = mapped_column(JSON)
    scope_name: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    effective_date: Mapped[date] = mapped_column(Date)
    new_valid_to: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(80))
    decided_by_role: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    permit_count: Mapped[int] = mapped_column(Integer)
    first_seq: Mapped[int | None] = mapped_column(BigInteger)
    last_seq: Mapped[int | None] = mapped_column(BigInteger)


class MinisterialDecisionPermit(Base):
    """A permit the decision changed, and the audit event recording that change."""

    __tablename__ = "ministerial_decision_permits"
    __table_args__ = (UniqueConstraint("decision_id", "permit_id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("ministerial_decisions.id"))
    permit_id: Mapped[int] = mapped_column(ForeignKey("permits.id"), index=True)
    before_state: Mapped[str] = mapped_column(String(16))
    after_state: Mapped[str] = mapped_column(String(16))
    audit_seq: Mapped[int] = mapped_column(BigInteger)


class SavedScope(Base):
    """A named combination of filters a minister can act on again (e.g. "TR-GROUP-2")."""

    __tablename__ = "saved_scopes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[dict[str, Any]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
