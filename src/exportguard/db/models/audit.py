"""The append-only audit log, its Merkle tree's leaves, and the sequencer's signed checkpoints.

All three tables only grow: triggers refuse UPDATE, DELETE and TRUNCATE on them (migration 0010).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, UTCDateTime


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_subject", "subject_type", "subject_id", "seq"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    principal: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    command: Mapped[str] = mapped_column(String(40), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(BigInteger)
    subject_ref: Mapped[str] = mapped_column(String(64))
    legal_basis: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    effective_date: Mapped[date] = mapped_column(Date)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    hash: Mapped[str] = mapped_column(String(64))


class AuditLeaf(Base):
    """An event sealed into the tree at ``leaf_index`` (0, 1, 2, ...: the order the sequencer saw)."""

    __tablename__ = "audit_leaves"

    leaf_index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    event_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), ForeignKey("audit_events.id"), unique=True
    )


class AuditCheckpoint(Base):
    """The tree after a sequencer run: size, root, signature, and where the sequencer resumes."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    root: Mapped[str] = mapped_column(String(64))
    timestamp: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(Text)
    # The perfect subtrees' roots (domain/ledger.py Frontier) and the event ids not yet seen below
    # the highest sealed one (ranges, with when first missed): the next run starts from these.
    frontier: Mapped[list[Any]] = mapped_column(JSON)
    mark: Mapped[int] = mapped_column(BigInteger)
    gaps: Mapped[list[Any]] = mapped_column(JSON)
