"""one line of history: merge the three heads

Until now the history had three heads (0002_screening -> 0003_policy, 0002_screening ->
0004_shipments, 0001 -> 0005_permits_hot), applied together by upgrading to "heads". This revision
joins them, so the history is one line again and every later migration revises this one (or its
successor): `upgrade head` is unambiguous. A database already at the three heads moves here with
no change of schema; a new one runs every migration and ends here too.

Revision ID: 0006_one_line
Revises: 0003_policy, 0004_shipments, 0005_permits_hot
Create Date: 2026-11-30 16:00:00.000000
"""

from collections.abc import Sequence

revision: str = "0006_one_line"
down_revision: str | Sequence[str] | None = ("0003_policy", "0004_shipments", "0005_permits_hot")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
