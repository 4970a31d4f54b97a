"""What the border asked and was told, and the running balance drawn on each permit line."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, Money, UTCDateTime


class PermitLineUsage(Base):
    """Quantity and value drawn on a permit line, net of reversals.

    The shipments' lines are the record; this balance is kept in the same transaction as each
    entry so that a drawdown is one conditional UPDATE (``... WHERE drawn + wanted <= licensed``):
    concurrent drawdowns queue on the row and can never overdraw it. Exhaustion stays derived.
    """

    __tablename__ = "permit_line_usage"

    permit_line_id: Mapped[int] = mapped_column(
        ForeignKey("permit_lines.id"), primary_key=True, autoincrement=False
    )
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))


class AuthorisationCheck(Base):
    """One "is this export authorised?" question (EPR s.5-6): who asked, when, what, the answer."""

    __tablename__ = "authorisation_checks"
    __table_args__ = (Index("ix_authorisation_checks_permit_asked", "permit_ref", "asked_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    principal: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    permit_ref: Mapped[str] = mapped_column(String(64))
    permit_id: Mapped[int | None] = mapped_column(ForeignKey("permits.id"))
    shipped_on: Mapped[date] = mapped_column(Date)
    question: Mapped[dict[str, Any]] = mapped_column(JSON)
    authorised: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
