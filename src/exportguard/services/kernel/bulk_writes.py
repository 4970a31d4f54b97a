"""Writing many rows in one go: COPY on PostgreSQL, executemany on SQLite.

A bulk act over 100,000 permits writes 100,000 audit events (through services/kernel/audit_log.py)
and as many links and notices: each table gets them in one stream, inside the act's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def write_rows(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``table``; returns how many. JSON columns
    are given as their text (ChainedEvent.before_json): COPY adapts each value by its type."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        raw: Any = conn.connection.driver_connection
        count = 0
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor().copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch = [dict(zip(columns, row, strict=True)) for row in rows]
    if batch:
        session.execute(insert(table), batch)
    return len(batch)
