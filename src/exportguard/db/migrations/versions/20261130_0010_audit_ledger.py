"""the audit log as a ledger: leaves, checkpoints, a sequence instead of the chain head; append-only

Revision ID: 0010_audit_ledger
Revises: 0009_measure_holds
Create Date: 2026-11-30 16:50:00

Events no longer carry their predecessor's hash (writers no longer queue on the chain head): each
event's hash becomes its leaf hash in the Merkle tree (domain/ledger.py), recomputed here for the
events already stored. UPDATE, DELETE and TRUNCATE on the three audit tables are refused by
triggers on both databases.
"""

from collections.abc import Sequence
from datetime import UTC
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0010_audit_ledger'
down_revision: str | Sequence[str] | None = '0009_measure_holds'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("audit_events", "audit_leaves", "audit_checkpoints")
REFUSAL = "the audit log is append-only"


def _rehash() -> None:
    # The hashing rule as of this revision (domain/audit.py event_hash): every field but the hash.
    from exportguard.domain.audit import HASHED_FIELDS, event_hash  # noqa: PLC0415 - data migration

    types: dict[str, Any] = {
        "recorded_at": sa.DateTime(timezone=True), "effective_date": sa.Date(),
        "before": sa.JSON(), "after": sa.JSON(), "seq": sa.BigInteger(), "subject_id": sa.BigInteger(),
    }
    conn = op.get_bind()
    events = sa.table(
        "audit_events", sa.column("id", sa.BigInteger()), sa.column("hash", sa.String()),
        *(sa.column(c, types.get(c, sa.String())) for c in HASHED_FIELDS),
    )
    for row in conn.execute(sa.select(events)).mappings().all():
        values = {f: row[f] for f in HASHED_FIELDS}
        when = values["recorded_at"]  # stored in UTC; SQLite keeps no zone
        values["recorded_at"] = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
        conn.execute(sa.update(events).where(events.c.id == row["id"]).values(hash=event_hash(values)))


def upgrade() -> None:
    op.create_table('audit_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('root', sa.String(length=64), nullable=False),
    sa.Column('timestamp', sa.String(length=40), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.Text(), nullable=False),
    sa.Column('frontier', sa.JSON(), nullable=False),
    sa.Column('mark', sa.BigInteger(), nullable=False),
    sa.Column('gaps', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoints'))
    )
    op.create_table('audit_leaves',
    sa.Column('leaf_index', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['audit_events.id'], name=op.f('fk_audit_leaves_event_id_audit_events')),
    sa.PrimaryKeyConstraint('leaf_index', name=op.f('pk_audit_leaves')),
    sa.UniqueConstraint('event_id', name=op.f('uq_audit_leaves_event_id'))
    )
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_column('prev_hash')
    _rehash()
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        start = int(conn.scalar(sa.text("SELECT coalesce(max(seq), 0) + 1 FROM audit_events")) or 1)
        # IF NOT EXISTS / OR REPLACE: a database emptied table by table keeps its sequences and functions.
        op.execute("CREATE SEQUENCE IF NOT EXISTS audit_event_seq")
        op.execute(f"SELECT setval('audit_event_seq', {start}, false)")
        op.execute(
            "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{REFUSAL}: % on % refused', TG_OP, TG_TABLE_NAME "
            "USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
            )
    else:
        for table in TABLES:
            for what in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{what.lower()} BEFORE {what} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
                )


def downgrade() -> None:
    raise NotImplementedError("the audit log's history is not rewritten backwards")
