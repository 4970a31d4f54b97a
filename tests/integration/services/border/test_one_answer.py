"""Every path that answers the border's question gives the same answer: a single check (from the
database and from the read model), a declaration file checked, the customs feed, a declaration file
recorded, one export recorded. A permit on hold under the 2019 moratorium (Notice to Exporters
No. 992) is refused by each, and each shows the diversion flags raised by a finding that an end-use
assurance was breached, with their source."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from exportguard.adapters.clock import FixedClock
from exportguard.db.models import Permit, Shipment
from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import DomainError
from exportguard.services.border import authorisations, declaration_upload, shipments
from exportguard.services.border.customs_feed import BatchInput, record_batch
from exportguard.services.border.declaration_feed import DeclarationFeed
from exportguard.services.border.read_model import PermitReadModel
from exportguard.services.system import ExportGuard
from tests.factories import World, approved, issued, world
from tests.integration.services.border.test_moratorium_hold import moratorium
from tests.integration.services.investigations.test_diversion_flag import breach

CUSTOMS = Actor("customs.cbsa", Role.CUSTOMS)


@dataclass(frozen=True)
class Said:
    """What a path answered: authorised or not, the reasons' messages, the flags' texts."""

    authorised: bool
    reasons: frozenset[str]
    flags: frozenset[str]


def _message(reason: str) -> str:
    """A feed's reason is "field: message"; a check's is the message with its field apart."""
    return (
        reason.split(": ", 1)[1] if reason.startswith(("shipped_on: ", "lines", "destination: ")) else reason
    )


def _single(eg: ExportGuard, number: str, permit_id: int, day: date, declaration: str) -> Said:
    with eg.uow(CUSTOMS) as uow:
        a = authorisations.check_authorisation(uow, _question(number, day))
    return Said(
        a.authorised, frozenset(r.message for r in a.reasons), frozenset(f.message for f in a.diversion_flags)
    )


def _read_model(eg: ExportGuard, number: str, permit_id: int, day: date, declaration: str) -> Said:
    with eg.uow(CUSTOMS) as uow:
        a = authorisations.check_authorisation(uow, _question(number, day), PermitReadModel(eg))
    return Said(
        a.authorised, frozenset(r.message for r in a.reasons), frozenset(f.message for f in a.diversion_flags)
    )


def _csv(number: str, day: date, declaration: str) -> bytes:
    return (f"declaration_id,shipped_on,permit,line_no,quantity\n{declaration},{day},{number},1,1\n").encode()


def _file_checked(eg: ExportGuard, number: str, permit_id: int, day: date, declaration: str) -> Said:
    got = declaration_upload.check_upload(eg, CUSTOMS, "d.csv", _csv(number, day, declaration)).shown[0]
    return Said(got.verdict == "authorised", frozenset(got.reasons), frozenset(got.flags))


def _feed(eg: ExportGuard, number: str, permit_id: int, day: date, declaration: str) -> Said:
    with eg.uow(CUSTOMS) as uow:
        out = record_batch(uow, BatchInput(shipments=[_shipment(permit_id, day, declaration)])).outcomes[0]
    return Said(
        out.status == "recorded",
        frozenset(_message(r) for r in out.reasons),
        frozenset(f.message for f in out.diversion_flags),
    )


def _file_recorded(eg: ExportGuard, number: str, permit_id: int, day: date, declaration: str) -> Said:
    feed = DeclarationFeed(io.StringIO(_csv(number, day, declaration).decode()))
    got = next(iter(feed.record(eg, CUSTOMS)))
    return Said(got.verdict == "recorded", frozenset(_message(r) for r in got.reasons), frozenset(got.flags))


def _one_export(eg: ExportGuard, number: str, permit_id: int, day: date, declaration: str) -> Said:
    try:
        with eg.uow(CUSTOMS) as uow:
            view = shipments.record_shipment(uow, _shipment(permit_id, day, declaration))
    except DomainError as refused:
        return Said(False, frozenset(p.message for p in refused.problems), frozenset())
    return Said(True, frozenset(), frozenset(f.message for f in view.diversion_flags))


PATHS: dict[str, Callable[[ExportGuard, str, int, date, str], Said]] = {
    "single check": _single,
    "single check from the read model": _read_model,
    "declaration file checked": _file_checked,
    "customs feed": _feed,
    "declaration file recorded": _file_recorded,
    "one export recorded": _one_export,
}


def _question(number: str, day: date) -> authorisations.CheckInput:
    return authorisations.CheckInput(
        permit=number, shipped_on=day, lines=[authorisations.CheckLineInput(line_no=1, quantity=1)]
    )


def _shipment(permit_id: int, day: date, declaration: str) -> shipments.ShipmentInput:
    return shipments.ShipmentInput(
        declaration_id=declaration,
        permit_id=permit_id,
        shipped_on=day,
        lines=[shipments.ShipmentLineInput(permit_line_no=1, quantity=1)],
    )


def _shipments(eg: ExportGuard) -> int:
    with eg.read() as s:
        return s.scalar(select(func.count()).select_from(Shipment)) or 0


@pytest.mark.parametrize("path", list(PATHS))
def test_a_permit_on_hold_is_refused_by_every_path(eg: ExportGuard, clock: FixedClock, path: str) -> None:
    w = world(eg)
    clock.set(datetime(2019, 3, 1, 12, tzinfo=UTC))
    before = issued(eg, w, quantity=5, valid_from=date(2019, 3, 4), valid_to=date(2021, 12, 31))
    moratorium(eg)
    clock.set(datetime(2020, 6, 1, 12, tzinfo=UTC))
    said = PATHS[path](eg, before.number, before.id, date(2019, 12, 10), "HOLD-1")
    assert not said.authorised
    (reason,) = said.reasons
    assert "on hold under TR-2019-MORATORIUM/v1" in reason and "usable again from 2020-04-16" in reason
    assert _shipments(eg) == 0  # nothing drawn on a permit on hold
    again = PATHS[path](eg, before.number, before.id, date(2020, 4, 16), "HOLD-2")
    assert again.authorised and not again.reasons  # usable again under Notice 992


def _flagged_permit(eg: ExportGuard, clock: FixedClock) -> tuple[World, int, str]:
    w = world(eg)
    _, investigation = breach(eg, w)
    permit = issued(eg, w, quantity=7, app=approved(eg, w))
    clock.set(datetime(2021, 5, 2, 12, tzinfo=UTC))
    return w, permit.id, investigation


def test_every_path_gives_the_same_answer_and_the_same_flags(eg: ExportGuard, clock: FixedClock) -> None:
    w, permit_id, investigation = _flagged_permit(eg, clock)
    with eg.read() as s:
        number = s.get_one(Permit, permit_id).number
    answers = {
        path: ask(eg, number, permit_id, date(2021, 5, 1), f"FLAG-{n}")
        for n, (path, ask) in enumerate(PATHS.items())
    }
    first = answers["single check"]
    assert first.authorised and len(first.flags) == 3
    assert all(investigation in f and "found breached" in f for f in first.flags)
    assert {path: said for path, said in answers.items() if said != first} == {}
    # Asked about a day before the finding, no path shows the flags.
    earlier = {
        path: ask(eg, number, permit_id, date(2021, 4, 1), f"EARLY-{n}").flags
        for n, (path, ask) in enumerate(PATHS.items())
    }
    assert set(earlier.values()) == {frozenset()}
    # Exporters are shown no flag on their own permit, by any path that answers them.
    exporter = w.exporter_actor()
    with eg.uow(exporter) as uow:
        own = authorisations.check_authorisation(uow, _question(number, date(2021, 5, 1)))
    assert own.authorised and own.diversion_flags == []
