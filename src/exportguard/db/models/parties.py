"""Parties (organisations and persons) and the principals who act in the system."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, check_in
from exportguard.domain.access import Role

PARTY_KINDS = ("organisation", "person")


class Party(Base):
    __tablename__ = "parties"
    __table_args__ = (CheckConstraint(check_in("kind", PARTY_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(300), index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    identifier: Mapped[str] = mapped_column(String(60), default="")


class Principal(Base):
    """An authenticated user or system account, with one role."""

    __tablename__ = "principals"
    __table_args__ = (CheckConstraint(check_in("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
