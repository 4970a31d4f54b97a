"""reversal requests: an exporter asks, an official approves or refuses (separation of duties)

Revision ID: 0014_reversal_requests
Revises: 0013_export_rollups
Create Date: 2026-11-30 20:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_reversal_requests"
down_revision: str | None = "0013_export_rollups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reversal_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exporter_id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.String(length=64), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=False),
        sa.Column("shipped_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IN ('requested', 'approved', 'refused')", name=op.f("ck_reversal_requests_state")
        ),
        sa.ForeignKeyConstraint(
            ["exporter_id"], ["parties.id"], name=op.f("fk_reversal_requests_exporter_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["shipments.id"], name=op.f("fk_reversal_requests_reverses_id_shipments")
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_reversal_requests_shipment_id_shipments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reversal_requests")),
    )
    with op.batch_alter_table("reversal_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reversal_requests_exporter_id"), ["exporter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reversal_requests_reverses_id"), ["reverses_id"], unique=False)


def downgrade() -> None:
    op.drop_table("reversal_requests")
