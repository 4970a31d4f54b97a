"""Reference data: countries, the Export Control List, products and their classification."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exportguard.db.models.base import Base


class Country(Base):
    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class ControlListGroup(Base):
    __tablename__ = "control_list_groups"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(200))
    repealed: Mapped[bool] = mapped_column(Boolean, default=False)


class ControlListItem(Base):
    __tablename__ = "control_list_items"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    group_number: Mapped[int] = mapped_column(ForeignKey("control_list_groups.number"), index=True)
    title: Mapped[str] = mapped_column(Text)
    wassenaar_ref: Mapped[str | None] = mapped_column(String(16))
    att_category: Mapped[str | None] = mapped_column(String(8))
    is_software: Mapped[bool] = mapped_column(Boolean, default=False)
    is_technology: Mapped[bool] = mapped_column(Boolean, default=False)


class Product(Base):
    """A maker's model (e.g. the MX-15D), classified against one or more list items."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("maker_id", "model"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    maker_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    model: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    classifications: Mapped[list[ProductClassification]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductClassification.item_code"
    )


class ProductClassification(Base):
    __tablename__ = "product_classifications"
    __table_args__ = (CheckConstraint("rationale <> ''", name="rationale_given"),)

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    item_code: Mapped[str] = mapped_column(ForeignKey("control_list_items.code"), primary_key=True)
    rationale: Mapped[str] = mapped_column(Text)
    product: Mapped[Product] = relationship(back_populates="classifications")
