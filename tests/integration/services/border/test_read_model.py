"""The border's read model at scale: permits read on demand a chunk at a time, changes taken from
a change feed that tolerates ids committed out of order, never a reload of the whole register."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert
from sqlalchemy.orm import Session, sessionmaker

from exportguard.services.border import authorisations, permit_facts, read_model
from exportguard.services.border.read_model import Feed, PermitReadModel, load_snapshot
from exportguard.services.system import ExportGuard
from tests.factories import issued, world
from tests.integration.services.border.test_authorisations import OTHER, question
from tests.integration.services.border.test_shipments import CUSTOMS, ship


def test_many_permits_are_read_a_chunk_at_a_time(eg: ExportGuard, monkeypatch: pytest.MonkeyPatch) -> None:
    w = world(eg)
    made = [issued(eg, w, quantity=q) for q in (2, 3, 4, 5, 6)]
    with eg.read() as session:
        whole = load_snapshot(session)
    monkeypatch.setattr(permit_facts, "CHUNK", 2)  # five permits in three chunks of IN lists
    monkeypatch.setattr(permit_facts.chunks, "__defaults__", (2,))
    with eg.read() as session:
        chunked = load_snapshot(session)
        some = load_snapshot(session, [made[0].number, str(made[4].id), "NO-SUCH"])
    assert chunked == whole
    assert [f.lines[0].quantity for f in chunked.by_id.values() if f.id in {p.id for p in made}] == [
        2,
        3,
        4,
        5,
        6,
    ]
    assert set(some.by_id) == {made[0].id, made[4].id}


def test_the_model_holds_only_the_permits_asked_about(eg: ExportGuard) -> None:
    w = world(eg)
    asked, _, _ = issued(eg, w), issued(eg, w), issued(eg, w)
    model = PermitReadModel(eg, max_age=3600)
    with eg.uow(CUSTOMS) as uow:
        assert authorisations.check_authorisation(
            uow, question(asked.number, date(2020, 6, 1)), model
        ).authorised
    assert model.size == 1
    with eg.uow(CUSTOMS) as uow:
        refused = authorisations.check_authorisation(uow, question("NO-SUCH", date(2020, 6, 1)), model)
    assert [r.code for r in refused.reasons] == ["no_permit"]
    assert model.size == 2  # "no such permit" is remembered too, until a permit of that number appears


def test_another_process_s_shipment_and_new_permit_reach_the_model_through_the_feed(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w, quantity=2)
    model = PermitReadModel(eg, max_age=0)
    two = question(permit.number, date(2020, 6, 1), 2)
    with eg.uow(CUSTOMS) as uow:
        assert authorisations.check_authorisation(uow, two, model).authorised
    elsewhere = ExportGuard(eg.engine, sessionmaker(bind=eg.session_factory.kw["bind"], **OTHER), eg.clock)
    with elsewhere.uow(CUSTOMS) as uow:
        from exportguard.services.border import shipments  # noqa: PLC0415 - the other process's code

        shipments.record_shipment(uow, ship(permit.id, 1))
    with eg.uow(CUSTOMS) as uow:
        after = authorisations.check_authorisation(uow, two, model)
    assert after.reasons[0].message == "quantity 2 is above the 1 remaining on line 1"


@pytest.fixture
def feed_table() -> tuple[Table, Session]:
    meta = MetaData()
    table = Table("rows", meta, Column("id", Integer, primary_key=True), Column("about", String))
    engine = create_engine("sqlite://")
    meta.create_all(engine)
    return table, Session(engine)


def test_the_feed_waits_for_ids_committed_out_of_order(feed_table: tuple[Table, Session]) -> None:
    table, session = feed_table
    feed = Feed(table.c.id, table.c.about)
    session.execute(insert(table), [{"id": 1, "about": "a"}, {"id": 2, "about": "b"}])
    feed.start(session)
    assert feed.mark == 2
    # A slow transaction took ids 3-5 and has not committed; a quick one committed 6.
    session.execute(insert(table), [{"id": 6, "about": "quick"}])
    assert feed.read(session, now=0.0) == ["quick"]
    assert [(lo, hi) for lo, hi, _ in feed.gaps] == [(2, 6)]
    session.execute(insert(table), [{"id": i, "about": f"slow{i}"} for i in (3, 5)])
    session.execute(insert(table), [{"id": 7, "about": "next"}])
    assert feed.read(session, now=1.0) == ["slow3", "slow5", "next"]
    assert [(lo, hi) for lo, hi, _ in feed.gaps] == [(3, 5)]  # 4: rolled back, or still to come
    assert feed.read(session, now=2.0) == []
    assert feed.read(session, now=2.0 + read_model.GAP_TTL) == []
    assert feed.gaps == []  # a rolled-back id is not waited for forever
    assert feed.mark == 7
