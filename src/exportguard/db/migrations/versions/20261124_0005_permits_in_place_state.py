"""permits: state changes in place (HOT), not through every index

A bulk act (EIPA s.10(1)) changes the state of up to 100,000 permits. While ``state`` was in an
index and the pages were full, each change wrote a new entry in all nine indexes of the table.
The destination index leaves ``state`` out (the state filter is applied to the destination's rows)
and new pages keep a fifth free, so PostgreSQL can write each new state beside the old one (a
heap-only-tuple update). Existing pages take the fill factor when the table is next rewritten.

Revision ID: 0005_permits_hot
Revises: 0001
Create Date: 2026-11-24 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_permits_hot"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.drop_index("ix_permits_destination_state")
        batch_op.create_index("ix_permits_destination_code", ["destination_code"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE permits SET (fillfactor = 80)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE permits RESET (fillfactor)")
    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.drop_index("ix_permits_destination_code")
        batch_op.create_index("ix_permits_destination_state", ["destination_code", "state"], unique=False)
