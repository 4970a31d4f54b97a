"""Sanctions list snapshots, their entries, screening hits (the review tasks) and alerts.

A hit is keyed by the list entry's *fingerprint* (a hash of its content): a reviewer's
disposition holds for that version of the entry, and a changed entry opens a new hit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, UTCDateTime, check_in
from exportguard.domain.screening.entries import Schema

HIT_STATUSES = ("open", "false_positive", "true_match")
ALERT_STATUSES = ("open", "closed")


class ListSnapshot(Base):
    """One imported file (or file set) of one list; the same bytes twice is the same snapshot."""

    __tablename__ = "sanctions_list_snapshots"
    __table_args__ = (UniqueConstraint("source", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(40), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    published: Mapped[str] = mapped_column(String(40), default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entry_count: Mapped[int] = mapped_column(Integer)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("sanctions_list_snapshots.id"))
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)


class ListEntryRecord(Base):
    """A list entry as one snapshot has it."""

    __tablename__ = "sanctions_list_entries"
    __table_args__ = (
        UniqueConstraint("snapshot_id", "entry_id"),
        CheckConstraint(check_in("schema", Schema), name="schema"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("sanctions_list_snapshots.id"), index=True)
    entry_id: Mapped[str] = mapped_column(String(80))
    fingerprint: Mapped[str] = mapped_column(String(64))
    schema: Mapped[str] = mapped_column(String(16))
    names: Mapped[list[str]] = mapped_column(JSON, default=list)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    birth_dates: Mapped[list[str]] = mapped_column(JSON, default=list)
    programs: Mapped[list[str]] = mapped_column(JSON, default=list)
    remarks: Mapped[str] = mapped_column(Text, default="")


class ScreeningHit(Base):
    """A party that may be a listed entry: a review task until a reviewer disposes of it.

    The algorithm, its version, the threshold and the snapshot are kept so that the result can
    be explained and replayed later.
    """

    __tablename__ = "screening_hits"
    __table_args__ = (
        UniqueConstraint("party_id", "source", "entry_id", "entry_fingerprint"),
        CheckConstraint(check_in("status", HIT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    source: Mapped[str] = mapped_column(String(40))
    entry_id: Mapped[str] = mapped_column(String(80))
    entry_fingerprint: Mapped[str] = mapped_column(String(64))
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("sanctions_list_snapshots.id"))
    listed_name: Mapped[str] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    algorithm: Mapped[str] = mapped_column(String(40))
    algorithm_version: Mapped[str] = mapped_column(String(16))
    threshold: Mapped[float] = mapped_column(Float)
    context: Mapped[str] = mapped_column(String(32))
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    disposition_reason: Mapped[str] = mapped_column(Text, default="")
    disposed_by: Mapped[str] = mapped_column(String(80), default="")
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ScreeningAlert(Base):
    """A new hit on a party of a pending application or an active permit, raised on re-screening."""

    __tablename__ = "screening_alerts"
    __table_args__ = (CheckConstraint(check_in("status", ALERT_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hit_id: Mapped[int] = mapped_column(ForeignKey("screening_hits.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    permit_id: Mapped[int | None] = mapped_column(ForeignKey("permits.id"), index=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="open")
