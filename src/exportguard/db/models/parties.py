"""Parties: organisations and persons named on applications and permits."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, check_in

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
