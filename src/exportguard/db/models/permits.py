"""Permits, their lines, their effective-dated history, and shipments drawn against them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exportguard.db.models.base import Base, Money, UTCDateTime, check_in
from exportguard.domain.duties import ReversalRequestState
from exportguard.domain.permits import PermitCommand, PermitState


class Permit(Base):
    __tablename__ = "permits"
    __table_args__ = (
        UniqueConstraint("number", "version"),
        CheckConstraint(check_in("state", PermitState), name="state"),
        CheckConstraint("valid_to >= valid_from", name="validity"),
        # Not on state: a bulk act changes only the state of 100,000 permits, and with no index on
        # it (and room left on each page by the fill factor) PostgreSQL updates each row in place
        # (a HOT update) instead of adding an entry to every index of the table (migration 0005).
        Index("ix_permits_destination_code", "destination_code"),
        {"postgresql_with": {"fillfactor": 80}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("permits.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    consignee_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    end_user_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), index=True)
    destination_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    state: Mapped[str] = mapped_column(String(16))
    issued_on: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date, index=True)
    conditions: Mapped[str] = mapped_column(Text, default="")

    lines: Mapped[list[PermitLine]] = relationship(
        cascade="all, delete-orphan", order_by="PermitLine.line_no"
    )


class PermitLine(Base):
    __tablename__ = "permit_lines"
    __table_args__ = (
        UniqueConstraint("permit_id", "line_no"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("permits.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    application_line_id: Mapped[int] = mapped_column(ForeignKey("application_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("control_list_items.code"), index=True)
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(24))
    unit_value: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))


class PermitStateChange(Base):
    """Every state a permit entered, when it took effect and when it was recorded."""

    __tablename__ = "permit_state_changes"
    __table_args__ = (
        CheckConstraint(check_in("state", PermitState), name="state"),
        CheckConstraint(check_in("command", PermitCommand), name="command"),
        Index("ix_permit_state_changes_permit_effective", "permit_id", "effective_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("permits.id"))
    state: Mapped[str] = mapped_column(String(16))
    command: Mapped[str] = mapped_column(String(16))
    effective_date: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    principal: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")


class Shipment(Base):
    """An export recorded against a permit; the declaration id makes resubmission harmless.

    Declaration ids are each exporter's own: unique per exporter organisation (the permit's holder),
    so one organisation's ids neither collide with nor reveal another's (issue 10).
    """

    __tablename__ = "shipments"
    # The report's roll-up reads the lines recorded since its last run by the recorded_at index.
    __table_args__ = (
        UniqueConstraint("exporter_id", "declaration_id"),
        Index("ix_shipments_recorded_at", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exporter_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    declaration_id: Mapped[str] = mapped_column(String(64))
    permit_id: Mapped[int] = mapped_column(ForeignKey("permits.id"), index=True)
    shipped_on: Mapped[date] = mapped_column(Date)
    port: Mapped[str] = mapped_column(String(120), default="")
    # A return or correction is a new entry reversing an earlier one, never an edit (its lines are
    # negative); ``reason`` says why.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(80))
    lines: Mapped[list[ShipmentLine]] = relationship(cascade="all, delete-orphan")


class ReversalRequest(Base):
    """An exporter's request that an official reverse a recorded export (issue 10: separation of
    duties); approving it records the reversing entry, refusing it records nothing else."""

    __tablename__ = "reversal_requests"
    __table_args__ = (CheckConstraint(check_in("state", ReversalRequestState), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exporter_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    # What the reversing entry will be: its declaration id, the entry reversed, when, why, lines.
    declaration_id: Mapped[str] = mapped_column(String(64))
    reverses_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    shipped_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    lines: Mapped[dict[str, int] | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str] = mapped_column(String(80))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))


class ShipmentLine(Base):
    __tablename__ = "shipment_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    permit_line_id: Mapped[int] = mapped_column(ForeignKey("permit_lines.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
