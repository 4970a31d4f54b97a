"""A customs feed: declarations recorded in one transaction, each answered on its own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from exportguard.db.models import AuditEvent, PermitLineUsage, Shipment
from exportguard.domain.errors import NotPermitted
from exportguard.domain.permits import PermitCommand
from exportguard.services.border import shipments
from exportguard.services.border.customs_feed import BatchInput, BatchResult, Status, record_batch
from exportguard.services.kernel import audit
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, MINISTER, issued, world
from tests.integration.services.border.test_shipments import CUSTOMS, ship


def _feed(eg: ExportGuard, *items: shipments.ShipmentInput) -> BatchResult:
    with eg.uow(CUSTOMS) as uow:
        return record_batch(uow, BatchInput(shipments=list(items)))


def _counts(eg: ExportGuard) -> tuple[int, int, list[tuple[int, Decimal]]]:
    with eg.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Shipment)) or 0,
            s.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.command == "record_shipment")
            )
            or 0,
            [(u.quantity, u.value) for u in s.scalars(select(PermitLineUsage))],
        )


def test_each_declaration_is_recorded_drawn_and_audited(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=7)
    result = _feed(eg, *(ship(permit.id, n, declaration=f"F-{n}") for n in (1, 2, 3)))
    assert [(o.declaration_id, o.status) for o in result.outcomes] == [
        ("F-1", Status.RECORDED),
        ("F-2", Status.RECORDED),
        ("F-3", Status.RECORDED),
    ]
    assert result.recorded == 3
    shown = result.outcomes[1].shipment
    assert shown is not None
    assert (shown.permit_id, shown.lines[0].quantity, shown.lines[0].value) == (permit.id, 2, "3000000.00")
    assert _counts(eg) == (3, 3, [(6, Decimal("9000000.00"))])
    with eg.read() as s:
        refs = s.scalars(select(AuditEvent.subject_ref).where(AuditEvent.command == "record_shipment")).all()
        assert sorted(refs) == ["F-1", "F-2", "F-3"]
        assert audit.verify(s, AUDITOR).ok


def test_later_declarations_are_told_what_the_earlier_ones_left(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)  # 4 x 1,500,000.00 CAD
    result = _feed(
        eg,
        ship(permit.id, 3, declaration="F-1"),
        ship(permit.id, 2, declaration="F-2"),  # only 1 left after F-1
        ship(permit.id, 1, declaration="F-3", value=Decimal("1600000.00")),  # above the value left
        ship(permit.id, 1, declaration="F-4"),  # fits exactly
    )
    assert [o.status for o in result.outcomes] == [
        Status.RECORDED,
        Status.REFUSED,
        Status.REFUSED,
        Status.RECORDED,
    ]
    assert result.outcomes[1].reasons == ["lines[0].quantity: quantity 2 is above the 1 remaining on line 1"]
    assert result.outcomes[2].reasons == [
        "lines[0].value: value 1600000.00 CAD is above the 1500000.00 remaining on line 1"
    ]
    assert _counts(eg) == (2, 2, [(4, Decimal("6000000.00"))])
    # The next feed finds the line used up.
    again = _feed(eg, ship(permit.id, 1, declaration="F-5"))
    assert again.outcomes[0].reasons == ["lines[0].quantity: quantity 1 is above the 0 remaining on line 1"]


def test_every_kind_of_answer_in_one_feed(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=7)
    with eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 2, declaration="OLD"))
    result = _feed(
        eg,
        ship(permit.id, 2, declaration="OLD"),  # the same declaration again: harmless
        ship(permit.id, 3, declaration="OLD"),  # and again with another quantity: a conflict
        ship(permit.id + 999, 1, declaration="NOPE"),  # no such permit
        ship(permit.id, 1, declaration="NEW"),
        ship(permit.id, 1, declaration="NEW"),  # repeated in the feed, same content
        ship(permit.id, 4, declaration="NEW"),  # repeated in the feed, other content
        ship(permit.id, 1, day=date(2020, 5, 1), declaration="EARLY"),  # before the permit was issued
    )
    assert [o.status for o in result.outcomes] == [
        Status.ALREADY_RECORDED,
        Status.CONFLICT,
        Status.NOT_FOUND,
        Status.RECORDED,
        Status.ALREADY_RECORDED,
        Status.CONFLICT,
        Status.REFUSED,
    ]
    assert result.outcomes[1].reasons == [
        "declaration_id: already recorded for a different shipment",
        "lines[0].quantity: differs from the recorded 2",
    ]
    assert result.outcomes[2].reasons == [f"permit: no permit {permit.id + 999}"]
    assert "not yet issued" in result.outcomes[6].reasons[0]
    first, repeat = result.outcomes[3].shipment, result.outcomes[4].shipment
    assert first is not None and repeat is not None
    assert (repeat.id, repeat.already_recorded) == (first.id, True)
    assert (result.recorded, result.already_recorded, result.conflict, result.not_found, result.refused) == (
        1,
        2,
        2,
        1,
        1,
    )
    assert _counts(eg) == (2, 2, [(3, Decimal("4500000.00"))])


def test_the_same_feed_twice_is_drawn_once(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=7)
    feed = [ship(permit.id, 1, declaration=f"F-{n}") for n in range(5)]
    _feed(eg, *feed)
    before = _counts(eg)
    again = _feed(eg, *feed)
    assert {o.status for o in again.outcomes} == {Status.ALREADY_RECORDED}
    assert _counts(eg) == before


def test_a_suspended_permit_refuses_the_feed_from_the_day(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=7)
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.SUSPEND, Act(reason="review", effective_date=date(2020, 10, 5))
        )
    result = _feed(
        eg,
        ship(permit.id, 1, day=date(2020, 9, 15), declaration="BEFORE"),
        ship(permit.id, 1, day=date(2020, 10, 10), declaration="AFTER"),
    )
    assert [o.status for o in result.outcomes] == [Status.RECORDED, Status.REFUSED]
    assert result.outcomes[1].reasons == ["shipped_on: suspended on 2020-10-05"]


def test_an_amended_permit_counts_what_its_earlier_version_shipped(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    _feed(eg, ship(permit.id, 3, declaration="V1"))
    with eg.uow(MINISTER) as uow:
        amended = permits.amend_permit(
            uow, permit.id, permits.AmendInput(reason="longer validity", effective_date=date(2020, 7, 1))
        )
    result = _feed(
        eg,
        ship(amended.id, 2, day=date(2020, 7, 2), declaration="V2-a"),
        ship(amended.id, 1, day=date(2020, 7, 2), declaration="V2-b"),
    )
    assert [o.status for o in result.outcomes] == [Status.REFUSED, Status.RECORDED]
    assert result.outcomes[0].reasons == ["lines[0].quantity: quantity 2 is above the 1 remaining on line 1"]


def test_exporters_feed_only_their_own_permits(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w, quantity=4)
    other = type(w.exporter_actor())("exporter.other", w.exporter_actor().role, w.exporter_id + 999)
    with eg.uow(other) as uow:
        result = record_batch(uow, BatchInput(shipments=[ship(permit.id, 1)]))
    assert result.outcomes[0].status is Status.NOT_FOUND
    with eg.uow(w.exporter_actor()) as uow:
        assert record_batch(uow, BatchInput(shipments=[ship(permit.id, 1)])).recorded == 1


def test_only_roles_that_record_exports(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    with pytest.raises(NotPermitted), eg.uow(AUDITOR) as uow:
        record_batch(uow, BatchInput(shipments=[ship(permit.id, 1)]))
    assert _counts(eg)[0] == 0


def test_a_feed_has_at_least_one_and_at_most_a_thousand_declarations() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        BatchInput(shipments=[])
    with pytest.raises(ValueError, match="at most 1000"):
        BatchInput(shipments=[ship(1, 1, declaration=f"F-{n}") for n in range(1001)])


def test_a_repeat_of_a_refused_declaration_is_refused_with_it(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=2)
    result = _feed(eg, ship(permit.id, 3, declaration="F-1"), ship(permit.id, 1, declaration="F-1"))
    assert [o.status for o in result.outcomes] == [Status.REFUSED, Status.REFUSED]
    assert result.outcomes[1].reasons == [
        "declaration_id: appears earlier in the batch, which was not recorded"
    ]
    assert _counts(eg)[0] == 0


def test_a_feed_naming_one_permit_line_twice_is_harmless_when_sent_again(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=7)
    twice = ship(permit.id, 1, declaration="TWO-ROWS")
    twice.lines.append(shipments.ShipmentLineInput(permit_line_no=1, quantity=2))
    first = _feed(eg, twice)
    shown = first.outcomes[0].shipment
    assert shown is not None and [(ln.permit_line_no, ln.quantity) for ln in shown.lines] == [(1, 3)]
    again = _feed(eg, twice)
    assert again.outcomes[0].status is Status.ALREADY_RECORDED, again.outcomes[0].reasons
    assert again.outcomes[0].shipment is not None and again.outcomes[0].shipment.id == shown.id
    other = _feed(eg, ship(permit.id, 3, declaration="TWO-ROWS", value=Decimal("1.00")))
    assert other.outcomes[0].reasons == [
        "declaration_id: already recorded for a different shipment",
        "lines[0].value: differs from the recorded 4500000.00",
    ]
    assert _counts(eg) == (1, 1, [(3, Decimal("4500000.00"))])
