"""The recorded checks read back: the last 50, newest first; exporters see their organisation's only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import NotPermitted
from exportguard.services import authorisations, check_records
from exportguard.services.context import ExportGuard
from exportguard.services.parties import NewPrincipal, create_principal
from tests.factories import AUDITOR, issued, party, world
from tests.integration.services.test_authorisations import question
from tests.integration.services.test_shipments import CUSTOMS


def ask(eg: ExportGuard, actor: Actor, permit: str, day: date) -> None:
    with eg.uow(actor) as uow:
        authorisations.check_authorisation(uow, question(permit, day))


def test_the_last_50_checks_newest_first(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    first = date(2020, 6, 1)
    for n in range(52):
        ask(eg, CUSTOMS, permit.number, first + timedelta(days=n))
    with eg.read() as session:
        checks = check_records.recent_checks(session, CUSTOMS)
    assert len(checks) == check_records.RECENT == 50
    assert [c.shipped_on for c in checks[:2]] == [first + timedelta(days=51), first + timedelta(days=50)]
    assert checks[-1].shipped_on == first + timedelta(days=2)
    newest = checks[0]
    assert (newest.principal, newest.role, newest.permit, newest.permit_id) == (
        "customs.cbsa",
        "customs",
        permit.number,
        permit.id,
    )
    assert newest.authorised and newest.reasons == [] and newest.file_lines is None


def test_exporters_see_only_their_organisations_checks(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w, quantity=4)
    rival_org = party(eg, "Rival Optics", "CA")
    people = {
        "exporter.wescam": (Role.EXPORTER, w.exporter_id),
        "exporter.wescam.2": (Role.EXPORTER, w.exporter_id),
        "exporter.rival": (Role.EXPORTER, rival_org),
    }
    with eg.read() as session:
        for name, (role, org) in people.items():
            create_principal(
                session, NewPrincipal(username=name, display_name=name, role=role, organisation_id=org)
            )
    actors = {name: Actor(name, role, org) for name, (role, org) in people.items()}
    # Every exporter principal belongs to an organisation; an actor without one sees only its own.
    actors["exporter.alone"] = Actor("exporter.alone", Role.EXPORTER, None)
    for actor in (*actors.values(), CUSTOMS):
        ask(eg, actor, permit.number, date(2020, 6, 1))
    with eg.read() as session:
        seen = {
            name: {c.principal for c in check_records.recent_checks(session, actor)}
            for name, actor in actors.items()
        }
        everyone = {c.principal for c in check_records.recent_checks(session, CUSTOMS)}
        with pytest.raises(NotPermitted):
            check_records.recent_checks(session, AUDITOR)
    assert seen["exporter.wescam"] == seen["exporter.wescam.2"] == {"exporter.wescam", "exporter.wescam.2"}
    assert seen["exporter.rival"] == {"exporter.rival"}
    assert seen["exporter.alone"] == {"exporter.alone"}
    assert everyone == {*actors, "customs.cbsa"}
    with eg.read() as session:
        rival_check = check_records.recent_checks(session, actors["exporter.rival"])[0]
    assert not rival_check.authorised and rival_check.reasons[0].startswith("no permit")
