"""Export figures rolled up for the reports: derived from the shipment lines, never edited by hand.

The annual report sums actual exports (shipment lines) by destination, item, currency and exporter.
Summing ten million lines at every request costs a scan; instead a job rolls up each closed day's
lines once (``export_rollups``) and records how far it has gone (``export_rollup_seals``). A report
adds the rolled-up rows to the few lines recorded since (services/transparency/rollups.py), so its
figures are exactly those of the lines, and "as recorded on 31 May" still holds: rows are kept per
day of recording.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exportguard.db.models.base import Base, Money, UTCDateTime


class ExportRollup(Base):
    """The lines of one year's exports recorded on one day, summed per destination, item, currency
    and exporter (the report's own grouping)."""

    __tablename__ = "export_rollups"
    __table_args__ = (
        UniqueConstraint(
            "shipped_year",
            "recorded_on",
            "destination_code",
            "item_code",
            "currency",
            "holder_id",
            name="uq_export_rollups_key",
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    shipped_year: Mapped[int] = mapped_column(Integer)
    recorded_on: Mapped[date] = mapped_column(Date)
    destination_code: Mapped[str] = mapped_column(String(2))
    item_code: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    holder_id: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[Decimal] = mapped_column(Money)
    lines: Mapped[int] = mapped_column(BigInteger)


class ExportRollupSeal(Base):
    """How far the roll-up has gone: every shipment recorded before ``covers_before`` with an id up to
    ``max_shipment_id`` is in ``export_rollups``; nothing else is. One row per run, the latest counts."""

    __tablename__ = "export_rollup_seals"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The run this one continues (0 for the first): unique, so two runs started from the same point
    # cannot both commit (the second waits, then fails, and adds nothing twice).
    follows_id: Mapped[int] = mapped_column(Integer, unique=True)
    sealed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    covers_before: Mapped[datetime] = mapped_column(UTCDateTime)
    max_shipment_id: Mapped[int] = mapped_column(BigInteger)
    lines_added: Mapped[int] = mapped_column(BigInteger)
