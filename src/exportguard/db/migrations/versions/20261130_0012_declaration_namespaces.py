"""declaration namespaces: a shipment's declaration id is unique per exporter organisation

Each entry names its exporter (the permit's holder), filled in from the permit for the entries
already recorded; the unique constraint moves from the declaration id alone to (exporter,
declaration id), so one organisation's ids neither collide with nor reveal another's.

Revision ID: 0012_declaration_namespaces
Revises: 0011_accounts
Create Date: 2026-11-30 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_declaration_namespaces"
down_revision: str | None = "0011_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exporter_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE shipments SET exporter_id = "
        "(SELECT p.holder_id FROM permits p WHERE p.id = shipments.permit_id)"
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.alter_column("exporter_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(op.f("uq_shipments_declaration_id"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_shipments_exporter_id_declaration_id"), ["exporter_id", "declaration_id"]
        )
        batch_op.create_foreign_key(
            op.f("fk_shipments_exporter_id_parties"), "parties", ["exporter_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_shipments_exporter_id_parties"), type_="foreignkey")
        batch_op.drop_constraint(op.f("uq_shipments_exporter_id_declaration_id"), type_="unique")
        batch_op.create_unique_constraint(op.f("uq_shipments_declaration_id"), ["declaration_id"])
        batch_op.drop_column("exporter_id")
