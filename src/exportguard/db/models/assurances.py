"""End-use assurances, post-shipment verification checks, and diversion flags."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, CountryCode, UTCDateTime, check_in
from exportguard.domain.assurances import AssuranceForm, AssuranceState, CheckResult, CheckState, FlagSubject


class EndUseAssurance(Base):
    """Who gave which assurance, in what form, when, promising what; for an application or a permit."""

    __tablename__ = "end_use_assurances"
    __table_args__ = (
        CheckConstraint(check_in("form", AssuranceForm), name="form"),
        CheckConstraint(check_in("state", AssuranceState), name="state"),
        CheckConstraint("application_id IS NOT NULL OR permit_id IS NOT NULL", name="attached"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    permit_id: Mapped[int | None] = mapped_column(ForeignKey("permits.id"), index=True)
    given_by: Mapped[str] = mapped_column(String(300))  # e.g. "Mevlüt Çavuşoğlu, Minister of Foreign Affairs"
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    form: Mapped[str] = mapped_column(String(24))
    given_on: Mapped[date] = mapped_column(Date)
    received_by: Mapped[str] = mapped_column(String(300), default="")
    promises: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    provenance: Mapped[str] = mapped_column(Text, default="")  # what is reported, inferred or invented
    state: Mapped[str] = mapped_column(String(16))
    breached_on: Mapped[date | None] = mapped_column(Date)
    breach_source: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class VerificationCheck(Base):
    """A post-shipment verification check of a permit's goods: planned, then done with its result."""

    __tablename__ = "verification_checks"
    __table_args__ = (
        CheckConstraint(check_in("state", CheckState), name="state"),
        CheckConstraint(f"result IS NULL OR {check_in('result', CheckResult)}", name="result"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_id: Mapped[int] = mapped_column(ForeignKey("permits.id"), index=True)
    assurance_id: Mapped[int | None] = mapped_column(ForeignKey("end_use_assurances.id"))
    place: Mapped[str] = mapped_column(String(300))
    planned_on: Mapped[date] = mapped_column(Date)
    planned_by: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(16))
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[str | None] = mapped_column(String(80))
    result: Mapped[str | None] = mapped_column(String(24))
    notes: Mapped[str] = mapped_column(Text, default="")


class DiversionFlag(Base):
    """A destination or party marked after a breach of end-use assurances was found, with its source."""

    __tablename__ = "diversion_flags"
    __table_args__ = (
        CheckConstraint(check_in("subject", FlagSubject), name="subject"),
        CheckConstraint("(country_code IS NULL) <> (party_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(16))
    country_code: Mapped[str | None] = mapped_column(CountryCode, index=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"), index=True)
    raised_on: Mapped[date] = mapped_column(Date)
    raised_by: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(
        Text
    )  # e.g. "INV-2020-0001 question 2: assurance EUA-2020-0001 breached"
    source_ref: Mapped[str] = mapped_column(String(64))
