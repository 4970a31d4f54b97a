"""Permit applications, their parties, lines, documents, assessment, advice and decisions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exportguard.db.models.base import Base, Money, Percent, UTCDateTime, check_in
from exportguard.domain.applications import ApplicationState, DocumentKind, PartyRole
from exportguard.domain.assessment import Advice, Consideration, Recommendation, Risk


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("reference", "version"),
        CheckConstraint(check_in("state", ApplicationState), name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    state: Mapped[str] = mapped_column(String(16), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    destination_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    end_use: Mapped[str] = mapped_column(Text, default="")
    end_use_location: Mapped[str] = mapped_column(Text, default="")
    no_diversion_declared: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_valid_from: Mapped[date | None] = mapped_column(Date)
    requested_valid_to: Mapped[date | None] = mapped_column(Date)
    application_date: Mapped[date] = mapped_column(Date)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    parties: Mapped[list[ApplicationParty]] = relationship(
        cascade="all, delete-orphan", order_by="ApplicationParty.id"
    )
    lines: Mapped[list[ApplicationLine]] = relationship(
        cascade="all, delete-orphan", order_by="ApplicationLine.line_no"
    )
    documents: Mapped[list[SupportingDocument]] = relationship(
        cascade="all, delete-orphan", order_by="SupportingDocument.id"
    )


class ApplicationParty(Base):
    __tablename__ = "application_parties"
    __table_args__ = (
        UniqueConstraint("application_id", "party_id", "role"),
        CheckConstraint(check_in("role", PartyRole), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))


class ApplicationLine(Base):
    __tablename__ = "application_lines"
    __table_args__ = (
        UniqueConstraint("application_id", "line_no"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("control_list_items.code"))
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(24))
    unit_value: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    origin_country: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    us_content_percent: Mapped[Decimal] = mapped_column(Percent)


class SupportingDocument(Base):
    __tablename__ = "supporting_documents"
    __table_args__ = (CheckConstraint(check_in("kind", DocumentKind), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(200))
    issued_by: Mapped[str] = mapped_column(String(300), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")


class ApplicationStateChange(Base):
    """The application's effective-dated history, for "as of" questions."""

    __tablename__ = "application_state_changes"
    __table_args__ = (CheckConstraint(check_in("state", ApplicationState), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    command: Mapped[str] = mapped_column(String(24))
    effective_date: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    principal: Mapped[str] = mapped_column(String(80))


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint(
            "diversion_risk IS NULL OR " + check_in("diversion_risk", Risk), name="diversion_risk"
        ),
        CheckConstraint(
            "recommendation IS NULL OR " + check_in("recommendation", Recommendation), name="recommendation"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    diversion_risk: Mapped[str | None] = mapped_column(String(16))
    diversion_rationale: Mapped[str] = mapped_column(Text, default="")
    mitigating_measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    recommendation: Mapped[str | None] = mapped_column(String(8))
    recommendation_rationale: Mapped[str] = mapped_column(Text, default="")
    assessed_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    findings: Mapped[list[AssessmentFinding]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentFinding.id"
    )


class AssessmentFinding(Base):
    __tablename__ = "assessment_findings"
    __table_args__ = (
        UniqueConstraint("assessment_id", "consideration"),
        CheckConstraint(check_in("consideration", Consideration), name="consideration"),
        CheckConstraint(check_in("risk", Risk), name="risk"),
        CheckConstraint(check_in("residual_risk", Risk), name="residual_risk"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    consideration: Mapped[str] = mapped_column(String(32))
    risk: Mapped[str] = mapped_column(String(16))
    residual_risk: Mapped[str] = mapped_column(String(16))
    rationale: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)


class AdviceRecord(Base):
    """A department's advice on an application (e.g. National Defence)."""

    __tablename__ = "advice"
    __table_args__ = (CheckConstraint(check_in("advice", Advice), name="advice"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    department: Mapped[str] = mapped_column(String(200))
    advisor: Mapped[str] = mapped_column(String(80))
    advice: Mapped[str] = mapped_column(String(32))
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    rationale: Mapped[str] = mapped_column(Text)
    given_on: Mapped[date] = mapped_column(Date)


class Decision(Base):
    __tablename__ = "decisions"
    __table_args__ = (CheckConstraint("outcome IN ('approve', 'deny')", name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(8))
    decided_by: Mapped[str] = mapped_column(String(80))
    decided_by_role: Mapped[str] = mapped_column(String(16))
    decided_on: Mapped[date] = mapped_column(Date)
    legal_basis: Mapped[str] = mapped_column(Text)
    justification: Mapped[str] = mapped_column(Text)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    policy_exception: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
