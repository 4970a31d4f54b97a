"""export roll-ups: each closed day's shipment lines summed once for the reports

The annual report read every shipment line of the year; it now reads ``export_rollups`` (one row per
year, day of recording, destination, item, currency and exporter) plus the lines recorded since the
last run (``export_rollup_seals``), found by a new index on ``shipments.recorded_at``. The tables
start empty: until the first run, reports sum the lines as before.

Revision ID: 0013_export_rollups
Revises: 0012_declaration_namespaces
Create Date: 2026-11-30 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_export_rollups"
down_revision: str | None = "0012_declaration_namespaces"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "export_rollups",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("shipped_year", sa.Integer(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("destination_code", sa.String(length=2), nullable=False),
        sa.Column("item_code", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_rollups")),
        sa.UniqueConstraint(
            "shipped_year",
            "recorded_on",
            "destination_code",
            "item_code",
            "currency",
            "holder_id",
            name="uq_export_rollups_key",
        ),
    )
    op.create_table(
        "export_rollup_seals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("follows_id", sa.Integer(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("covers_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("max_shipment_id", sa.BigInteger(), nullable=False),
        sa.Column("lines_added", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_rollup_seals")),
        sa.UniqueConstraint("follows_id", name=op.f("uq_export_rollup_seals_follows_id")),
    )
    op.create_index("ix_shipments_recorded_at", "shipments", ["recorded_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_shipments_recorded_at", table_name="shipments")
    op.drop_table("export_rollup_seals")
    op.drop_table("export_rollups")
