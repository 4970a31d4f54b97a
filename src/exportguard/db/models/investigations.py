"""Allegations, investigations and what they gather: questions, requests, evidence, recommended acts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, UTCDateTime, check_in
from exportguard.domain.evidence import CustodyAction, EvidenceKind
from exportguard.domain.investigations import (
    ActionKind,
    ActionState,
    AllegationState,
    ConcernKind,
    ConsultationKind,
    ConsultationState,
    Finding,
    InvestigationState,
    Outcome,
    SourceKind,
)


class Allegation(Base):
    """A claim that goods were misused or diverted; its reference acknowledges it to the sender."""

    __tablename__ = "allegations"
    __table_args__ = (
        CheckConstraint(check_in("state", AllegationState), name="state"),
        CheckConstraint(check_in("source_kind", SourceKind), name="source_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    state: Mapped[str] = mapped_column(String(16))
    source_kind: Mapped[str] = mapped_column(String(24))
    source_name: Mapped[str] = mapped_column(String(300))
    claim: Mapped[str] = mapped_column(Text)
    claimed_on: Mapped[date | None] = mapped_column(Date)  # when the claimed events took place
    received_on: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    from_public: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[str] = mapped_column(Text, default="")  # never shown back to anyone outside
    recorded_by: Mapped[str] = mapped_column(String(80))
    triaged_by: Mapped[str | None] = mapped_column(String(80))
    triaged_on: Mapped[date | None] = mapped_column(Date)
    dismissal_reason: Mapped[str | None] = mapped_column(Text)
    investigation_id: Mapped[int | None] = mapped_column(ForeignKey("investigations.id"), index=True)


class AllegationConcern(Base):
    """What an allegation concerns: a permit, product, party, destination, third country or conflict."""

    __tablename__ = "allegation_concerns"
    __table_args__ = (CheckConstraint(check_in("kind", ConcernKind), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    allegation_id: Mapped[int] = mapped_column(ForeignKey("allegations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(300))  # permit number, country code, conflict name...
    ref_id: Mapped[int | None] = mapped_column(Integer)  # the party's or product's id when known


class Investigation(Base):
    __tablename__ = "investigations"
    __table_args__ = (
        CheckConstraint(check_in("state", InvestigationState), name="state"),
        CheckConstraint(f"outcome IS NULL OR {check_in('outcome', Outcome)}", name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(24))
    opened_on: Mapped[date] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(String(80))
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_summary: Mapped[str | None] = mapped_column(Text)


class InvestigationAssignment(Base):
    __tablename__ = "investigation_assignments"
    __table_args__ = (UniqueConstraint("investigation_id", "investigator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigations.id"))
    investigator: Mapped[str] = mapped_column(String(80))
    assigned_on: Mapped[date] = mapped_column(Date)
    assigned_by: Mapped[str] = mapped_column(String(80))


class InvestigationQuestion(Base):
    """A question the investigation answers, with its finding and the rationale for it."""

    __tablename__ = "investigation_questions"
    __table_args__ = (
        UniqueConstraint("investigation_id", "number"),
        CheckConstraint(f"finding IS NULL OR {check_in('finding', Finding)}", name="finding"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigations.id"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    asked_on: Mapped[date] = mapped_column(Date)
    asked_by: Mapped[str] = mapped_column(String(80))
    finding: Mapped[str | None] = mapped_column(String(24))
    rationale: Mapped[str | None] = mapped_column(Text)
    found_on: Mapped[date | None] = mapped_column(Date)
    found_by: Mapped[str | None] = mapped_column(String(80))


class Consultation(Base):
    """A request to another department or to a foreign government, and its answer or refusal."""

    __tablename__ = "investigation_consultations"
    __table_args__ = (
        CheckConstraint(check_in("kind", ConsultationKind), name="kind"),
        CheckConstraint(check_in("state", ConsultationState), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    addressee: Mapped[str] = mapped_column(String(300))
    request: Mapped[str] = mapped_column(Text)
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(16))
    response: Mapped[str | None] = mapped_column(Text)
    responded_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(String(80))


class RecommendedAction(Base):
    """A ministerial act the findings call for, on exactly the permits named; executed as a bulk act."""

    __tablename__ = "investigation_actions"
    __table_args__ = (
        CheckConstraint(check_in("command", ActionKind), name="command"),
        CheckConstraint(check_in("state", ActionState), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(ForeignKey("investigations.id"), index=True)
    command: Mapped[str] = mapped_column(String(16))
    permits: Mapped[list[str]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    recommended_on: Mapped[date] = mapped_column(Date)
    recommended_by: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(16))
    decision_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[str | None] = mapped_column(String(80))


class EvidenceItem(Base):
    """A file or link held as evidence, identified by its SHA-256 (the same bytes are held once)."""

    __tablename__ = "evidence_items"
    __table_args__ = (
        CheckConstraint(check_in("kind", EvidenceKind), name="kind"),
        UniqueConstraint("kind", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(300), default="")
    url: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    added_by: Mapped[str] = mapped_column(String(80))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EvidenceAttachment(Base):
    """Evidence attached to an allegation or an investigation (one item may serve several)."""

    __tablename__ = "evidence_attachments"
    __table_args__ = (
        CheckConstraint("(allegation_id IS NULL) <> (investigation_id IS NULL)", name="one_record"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    allegation_id: Mapped[int | None] = mapped_column(ForeignKey("allegations.id"), index=True)
    investigation_id: Mapped[int | None] = mapped_column(ForeignKey("investigations.id"), index=True)
    attached_by: Mapped[str] = mapped_column(String(80))
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CustodyEvent(Base):
    """The chain of custody: who received, attached, downloaded or verified an item, and when."""

    __tablename__ = "evidence_custody"
    __table_args__ = (CheckConstraint(check_in("action", CustodyAction), name="action"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    principal: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    sha256: Mapped[str] = mapped_column(String(64))  # the hash seen at that moment
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
