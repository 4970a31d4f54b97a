"""The recorded checks read back: the last 50 for the border page, newest first; listed with filters
(permit, principal, answer, days asked, limit); exporters see their organisation's only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from exportguard.adapters.clock import FixedClock
from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import NotPermitted
from exportguard.services.accounts.principals import NewPrincipal, create_principal
from exportguard.services.border import authorisations, check_records
from exportguard.services.border.check_records import CheckFilter
from exportguard.services.permits.views import PermitView
from exportguard.services.system import ExportGuard
from tests.factories import ADVISOR, AUDITOR, OFFICER, World, issued, party, world
from tests.integration.services.border.test_authorisations import question
from tests.integration.services.border.test_shipments import CUSTOMS


def ask(eg: ExportGuard, actor: Actor, permit: str, day: date, qty: int = 1) -> int:
    with eg.uow(actor) as uow:
        check_id = authorisations.check_authorisation(uow, question(permit, day, qty)).check_id
    assert check_id is not None
    return check_id


def exporters(eg: ExportGuard, w: World) -> dict[str, Actor]:
    """Two principals of the permit holder, one of a rival organisation."""
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
    return {name: Actor(name, role, org) for name, (role, org) in people.items()}


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
    actors = exporters(eg, w)
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
        audited = {c.principal for c in check_records.recent_checks(session, AUDITOR)}
        with pytest.raises(NotPermitted):
            check_records.recent_checks(session, ADVISOR)
    assert seen["exporter.wescam"] == seen["exporter.wescam.2"] == {"exporter.wescam", "exporter.wescam.2"}
    assert seen["exporter.rival"] == {"exporter.rival"}
    assert seen["exporter.alone"] == {"exporter.alone"}
    assert everyone == audited == {*actors, "customs.cbsa"}
    with eg.read() as session:
        rival_check = check_records.recent_checks(session, actors["exporter.rival"])[0]
    assert not rival_check.authorised and rival_check.reasons[0].startswith("no permit")


def scene(eg: ExportGuard, clock: FixedClock) -> tuple[PermitView, dict[str, Actor], dict[str, int]]:
    """Four checks on three days (clock from 2020-04-20 14:00 UTC): by number, by id (refused: above
    the 4 licensed), of a permit that does not exist, and by the holder's exporter."""
    w = world(eg)
    permit = issued(eg, w, quantity=4)
    actors = exporters(eg, w)
    shipped = date(2020, 6, 1)
    ids = {"by_number": ask(eg, CUSTOMS, permit.number, shipped)}
    clock.set(datetime(2020, 4, 20, 23, 59, 59, tzinfo=UTC))
    ids["by_id"] = ask(eg, CUSTOMS, str(permit.id), shipped, qty=5)
    clock.set(datetime(2020, 4, 21, 0, 0, tzinfo=UTC))
    ids["unknown"] = ask(eg, OFFICER, "EXP-404", shipped)
    clock.set(datetime(2020, 4, 22, 9, 0, tzinfo=UTC))
    ids["exporter"] = ask(eg, actors["exporter.wescam"], permit.number, shipped)
    return permit, actors, ids


def listed(eg: ExportGuard, actor: Actor, **f: Any) -> list[int]:
    with eg.read() as session:
        return [c.id for c in check_records.list_checks(session, actor, CheckFilter.model_validate(f))]


def test_each_filter_newest_first(eg: ExportGuard, clock: FixedClock) -> None:
    permit, _, ids = scene(eg, clock)
    by_number, by_id, unknown, exporter = ids["by_number"], ids["by_id"], ids["unknown"], ids["exporter"]
    cases: list[tuple[dict[str, Any], list[int]]] = [
        ({}, [exporter, unknown, by_id, by_number]),
        # A number finds the checks presented by the permit's id too: they were answered on it.
        ({"permit": permit.number}, [exporter, by_id, by_number]),
        ({"permit": str(permit.id)}, [exporter, by_id, by_number]),
        ({"permit": "EXP-404"}, [unknown]),
        ({"permit": "EXP-405"}, []),
        ({"principal": "officer.ortiz"}, [unknown]),
        ({"principal": "customs.cbsa"}, [by_id, by_number]),
        ({"answer": "authorised"}, [exporter, by_number]),
        ({"answer": "refused"}, [unknown, by_id]),
        # Days are whole days in UTC: 23:59:59 is still the 20th, midnight is the 21st.
        ({"asked_to": "2020-04-20"}, [by_id, by_number]),
        ({"asked_from": "2020-04-21"}, [exporter, unknown]),
        ({"asked_from": "2020-04-21", "asked_to": "2020-04-21"}, [unknown]),
        ({"asked_from": "2020-04-23"}, []),
        ({"permit": permit.number, "answer": "refused"}, [by_id]),
        ({"limit": 2}, [exporter, unknown]),
    ]
    for f, expected in cases:
        assert listed(eg, CUSTOMS, **f) == expected, f


def test_a_check_is_listed_as_recorded(eg: ExportGuard, clock: FixedClock) -> None:
    permit, _, ids = scene(eg, clock)
    with eg.read() as session:
        (record,) = check_records.list_checks(
            session, AUDITOR, CheckFilter(answer="refused", asked_to=date(2020, 4, 20))
        )
    assert record.id == ids["by_id"]
    assert (record.principal, record.role, record.permit_ref, record.permit_id) == (
        "customs.cbsa",
        "customs",
        str(permit.id),
        permit.id,
    )
    assert record.asked_at == datetime(2020, 4, 20, 23, 59, 59, tzinfo=UTC)
    assert record.shipped_on == date(2020, 6, 1) and record.authorised is False
    assert record.question == {
        "permit": str(permit.id),
        "shipped_on": "2020-06-01",
        "lines": [{"line_no": 1, "quantity": 5}],
    }
    assert [(r.code, r.field) for r in record.reasons] == [("quantity_above_remaining", "lines[0].quantity")]


def test_who_reads_the_list(eg: ExportGuard, clock: FixedClock) -> None:
    permit, actors, ids = scene(eg, clock)
    everything = [ids["exporter"], ids["unknown"], ids["by_id"], ids["by_number"]]
    assert listed(eg, AUDITOR) == everything
    assert listed(eg, Actor("director.dupuis", Role.DIRECTOR)) == everything
    # The holder's other principal sees its colleague's check; the rival sees none, even by filter.
    assert listed(eg, actors["exporter.wescam.2"]) == [ids["exporter"]]
    assert listed(eg, actors["exporter.wescam.2"], principal="customs.cbsa") == []
    assert listed(eg, actors["exporter.rival"], permit=permit.number) == []
    for role in (Role.ADVISOR, Role.PUBLIC):
        with pytest.raises(NotPermitted):
            listed(eg, Actor("someone", role))


def test_limit_defaults_to_50_and_is_at_most_1000(eg: ExportGuard) -> None:
    asked_at = eg.clock.now()
    rows = [
        {
            "asked_at": asked_at,
            "principal": "customs.cbsa",
            "role": "customs",
            "permit_ref": f"EXP-{n}",
            "permit_id": None,
            "shipped_on": date(2020, 6, 1),
            "question": {"permit": f"EXP-{n}"},
            "authorised": False,
            "reasons": [],
        }
        for n in range(1001)
    ]
    with eg.uow(CUSTOMS) as uow:
        authorisations.record_checks(uow.session, rows)
        uow.commit()
    with eg.read() as session:
        default = check_records.list_checks(session, AUDITOR, CheckFilter())
        most = check_records.list_checks(session, AUDITOR, CheckFilter(limit=1000))
    assert [c.permit_ref for c in default] == [f"EXP-{n}" for n in range(1000, 950, -1)]
    assert len(most) == 1000 and most[0].permit_ref == "EXP-1000" and most[-1].permit_ref == "EXP-1"


@pytest.mark.parametrize(
    ("f", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"answer": "maybe"}, "answer"),
        ({"asked_from": "2020-04-21", "asked_to": "2020-04-20"}, "asked_to"),
        ({"asked_from": "2020-02-30"}, "asked_from"),
        ({"permit": "  "}, "permit"),
        ({"asked_by": "x"}, "asked_by"),
    ],
)
def test_a_bad_filter_names_its_field(f: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        CheckFilter.model_validate(f)
    assert [e["loc"] for e in refused.value.errors()] == [(field,)]
