"""The notice outbox: written in the transaction that changes the permits, drained by delivery."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, UTCDateTime, check_in

NOTICE_STATUSES = ("pending", "delivered", "failed")
CHANNELS = ("email", "webhook")


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint(check_in("status", NOTICE_STATUSES), name="status"),
        CheckConstraint(check_in("channel", CHANNELS), name="channel"),
        Index("ix_notices_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("ministerial_decisions.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoticeEndpoint(Base):
    """Where a party receives notices: an email address and/or a webhook URL."""

    __tablename__ = "notice_endpoints"
    __table_args__ = (
        UniqueConstraint("party_id", "channel"),
        CheckConstraint(check_in("channel", CHANNELS), name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(300))
