"""Tampering as someone who owns the database would: the append-only triggers lifted first."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

AUDIT_TABLES = ("audit_events", "audit_leaves", "audit_checkpoints")


def tamper(session: Session, *statements: str) -> None:
    """Run ``statements`` with the audit tables' triggers lifted, then put them back; commits."""
    postgres = session.get_bind().dialect.name == "postgresql"
    saved: list[str] = []
    if postgres:
        for table in AUDIT_TABLES:
            session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
    else:
        for name, sql in session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'")
        ):
            saved.append(sql)
            session.execute(text(f"DROP TRIGGER {name}"))
    for statement in statements:
        session.execute(text(statement))
    if postgres:
        for table in AUDIT_TABLES:
            session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
    for sql in saved:
        session.execute(text(sql))
    session.commit()
