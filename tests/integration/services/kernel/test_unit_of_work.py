"""The unit of work: one commit per use case, its audit events chained in that same commit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from exportguard.db.models import AuditEvent, Country
from exportguard.domain.access import Action
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import NotPermitted
from exportguard.services.kernel import audit
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, OFFICER


def _entry(ref: str) -> AuditEntry:
    return AuditEntry(
        command=AuditCommand.REGISTER_PARTY,
        subject_type="country",
        subject_id=0,
        subject_ref=ref,
        legal_basis="test",
        reason="a unit of work under test",
        effective_date=date(2020, 4, 20),
        before=None,
        after={"code": ref},
    )


def _written(eg: ExportGuard, ref: str) -> tuple[int, int]:
    """(countries with code ``ref``, audit events about ``ref``) as committed."""
    with eg.read() as s:
        countries = s.scalar(select(func.count()).select_from(Country).where(Country.code == ref)) or 0
        events = s.scalar(select(func.count()).where(AuditEvent.subject_ref == ref)) or 0
    return countries, events


def test_commit_writes_the_change_and_its_audit_event_together(eg: ExportGuard) -> None:
    with eg.uow(OFFICER) as uow:
        uow.session.add(Country(code="QX", name="Testland"))
        uow.record(_entry("QX"))
        uow.commit()
    assert _written(eg, "QX") == (1, 1)
    with eg.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.subject_ref == "QX")).one()
        assert (event.principal, event.role, event.command) == ("officer.ortiz", "officer", "register_party")
        assert event.recorded_at == eg.clock.now()
        assert audit.verify(s, AUDITOR).ok


def test_leaving_without_commit_writes_nothing(eg: ExportGuard) -> None:
    with eg.uow(OFFICER) as uow:
        uow.session.add(Country(code="QX", name="Testland"))
        uow.record(_entry("QX"))
        uow.session.flush()
    assert _written(eg, "QX") == (0, 0)


def test_an_error_inside_rolls_everything_back(eg: ExportGuard) -> None:
    with pytest.raises(RuntimeError, match="midway"), eg.uow(OFFICER) as uow:
        uow.session.add(Country(code="QX", name="Testland"))
        uow.record(_entry("QX"))
        uow.session.flush()
        raise RuntimeError("midway")
    assert _written(eg, "QX") == (0, 0)


def test_each_commit_appends_only_what_was_recorded_since_the_last(eg: ExportGuard) -> None:
    with eg.uow(OFFICER) as uow:
        uow.record(_entry("QX"))
        uow.commit()
        uow.session.add(Country(code="QY", name="Elsewhere"))
        uow.commit()  # nothing recorded since: the row alone, no event
        uow.record(_entry("QY"))
        uow.commit()
    assert _written(eg, "QX") == (0, 1)
    assert _written(eg, "QY") == (1, 1)
    with eg.read() as s:
        seqs = s.scalars(
            select(AuditEvent.seq).where(AuditEvent.subject_ref.in_(["QX", "QY"])).order_by(AuditEvent.seq)
        ).all()
        assert seqs == [seqs[0], seqs[0] + 1]  # numbered one after the other
        assert audit.verify(s, AUDITOR).ok


def test_require_refuses_a_role_without_the_permission(eg: ExportGuard) -> None:
    with eg.uow(AUDITOR) as uow:
        uow.require(Action.READ_REFERENCE)  # auditors read
        with pytest.raises(NotPermitted, match="auditor"):
            uow.require(Action.MANAGE_REFERENCE)
