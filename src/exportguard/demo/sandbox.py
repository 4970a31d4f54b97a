"""The demo as a sandbox (demo --until): is the database still the case as it stood on a day?"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from exportguard.db.models import AuditEvent
from exportguard.services.system import ExportGuard


def events_after(system: ExportGuard, day: date) -> int:
    """How many recorded events take effect after ``day`` (0: a sandbox may be loaded as of it)."""
    with system.read() as session:
        return session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.effective_date > day)) or 0
