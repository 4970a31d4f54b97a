"""Screening on a real database: idempotent imports, hits as review tasks, dispositions that hold
until the entry changes, and re-screening of pending work when a list changes."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import func, select

from exportguard.adapters.sanctions_lists.snapshot import ParsedList
from exportguard.db.models import AuditEvent, ListEntryRecord, ScreeningAlert, ScreeningHit
from exportguard.domain.permits import PermitCommand
from exportguard.domain.screening.entries import ListEntry, Schema
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.screening import commands as screening
from exportguard.services.system import ExportGuard
from tests.factories import MINISTER, OFFICER, approved, issued, party, submitted, world


def listed(entry_id: str, name: str, remarks: str = "") -> ListEntry:
    return ListEntry("test-list", entry_id, Schema.ORGANISATION, (name,), remarks=remarks)


def parsed(*entries: ListEntry) -> ParsedList:
    return ParsedList("test-list", hashlib.sha256(repr(entries).encode()).hexdigest(), entries)


def count(eg: ExportGuard, model: type) -> int:
    with eg.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_importing_the_same_file_twice_changes_nothing(eg: ExportGuard) -> None:
    first = parsed(listed("1", "Falcon Trading LLC"))
    with eg.uow(OFFICER) as uow:
        created = screening.import_list(uow, first)
    events = count(eg, AuditEvent)
    with eg.uow(OFFICER) as uow:
        again = screening.import_list(uow, first)
    assert created.created and not again.created
    assert again.snapshot_id == created.snapshot_id
    assert count(eg, ListEntryRecord) == 1
    assert count(eg, AuditEvent) == events


def test_a_hit_is_a_review_task_and_its_disposition_holds_until_the_entry_changes(
    eg: ExportGuard,
) -> None:
    suspect = party(eg, "Falcon Trading", "AE")
    with eg.uow(OFFICER) as uow:
        screening.import_list(uow, parsed(listed("1", "FALCON TRADING L.L.C.")))
    with eg.uow(OFFICER) as uow:
        hits = screening.screen_party(uow, suspect)
    assert [(h.entry_id, h.status) for h in hits] == [("1", "open")]
    assert "falcon=falcon" in hits[0].explanation
    assert hits[0].algorithm_version

    with eg.uow(OFFICER) as uow:
        screening.record_disposition(uow, hits[0].id, "false_positive", "different company, Dubai")
    with eg.uow(OFFICER) as uow:
        again = screening.screen_party(uow, suspect)
    assert [h.status for h in again] == ["false_positive"]  # not raised again
    with eg.read() as session:
        assert screening.list_hits(session, OFFICER) == []

    # The entry changes: the earlier finding no longer covers it.
    with eg.uow(OFFICER) as uow:
        screening.import_list(uow, parsed(listed("1", "FALCON TRADING L.L.C.", "new address")))
    with eg.uow(OFFICER) as uow:
        changed = screening.screen_party(uow, suspect)
    assert [h.status for h in changed] == ["open"]
    with eg.read() as session:
        assert [h.entry_id for h in screening.list_hits(session, OFFICER)] == ["1"]


def test_a_list_change_rescreens_pending_work_and_alerts_the_permit(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w)
    submitted(eg, w)
    bystander = party(eg, "Orchid Textiles", "FR")
    with eg.uow(OFFICER) as uow:
        screening.import_list(uow, parsed(listed("1", "Unrelated Shipping Co")))
    with eg.uow(OFFICER) as uow:
        result = screening.import_list(
            uow,
            parsed(
                listed("1", "Unrelated Shipping Co"),
                listed("2", "BAYKAR MAKINA SANAYI VE TICARET A.S."),
                listed("3", "Orchid Textiles"),
            ),
        )
    assert (result.added, result.changed, result.removed) == (2, 0, 0)
    assert result.new_hits == 1  # the consignee; the bystander is in no pending work
    with eg.read() as session:
        hit = session.scalars(select(ScreeningHit)).one()
        alerts = session.scalars(select(ScreeningAlert)).all()
    assert hit.party_id == w.consignee_id
    assert hit.context == "list_import"
    assert {a.permit_id for a in alerts if a.permit_id} == {permit.id}
    assert any(a.application_id for a in alerts)
    assert bystander != hit.party_id


def _list_baykar(eg: ExportGuard) -> screening.ImportView:
    with eg.uow(OFFICER) as uow:
        screening.import_list(uow, parsed(listed("1", "Unrelated Shipping Co")))
    with eg.uow(OFFICER) as uow:
        return screening.import_list(
            uow,
            parsed(listed("1", "Unrelated Shipping Co"), listed("2", "BAYKAR MAKINA SANAYI VE TICARET A.S.")),
        )


def test_an_approved_application_whose_permits_all_left_force_is_no_longer_pending(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w)
    with eg.uow(MINISTER) as uow:  # EIPA s.10: cancelled, as the Turkey permits were in April 2021
        permits.alter_permit(
            uow, permit.id, PermitCommand.CANCEL, Act(reason="diversion", effective_date=date(2021, 4, 12))
        )
    result = _list_baykar(eg)
    assert result.new_hits == 0
    assert count(eg, ScreeningAlert) == 0


def test_an_approved_application_not_yet_issued_is_still_pending(eg: ExportGuard) -> None:
    approved(eg, world(eg))
    assert _list_baykar(eg).new_hits == 1
    with eg.read() as session:
        alerts = session.scalars(select(ScreeningAlert)).all()
    assert [a.permit_id for a in alerts] == [None] and alerts[0].application_id is not None
