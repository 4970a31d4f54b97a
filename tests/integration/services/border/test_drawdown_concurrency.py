"""Many border clients, one permit line: the total drawn is exactly what was licensed, never more.

Each client is a thread with its own unit of work on a real database (``committed_eg``); on
PostgreSQL they really run at once (a connection each), on SQLite they queue on the database lock.
"""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from exportguard.db.models import PermitLineUsage, Shipment, ShipmentLine
from exportguard.db.session import make_engine, make_session_factory
from exportguard.domain.errors import DomainError
from exportguard.services.border import shipments
from exportguard.services.border.customs_feed import BatchInput, Status, record_batch
from exportguard.services.kernel import audit
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, issued, world
from tests.integration.services.border.test_shipments import CUSTOMS, ship

CLIENTS = 60
LICENSED = 7


def test_concurrent_drawdowns_never_exceed_the_licensed_quantity(committed_eg: ExportGuard) -> None:
    permit = issued(committed_eg, world(committed_eg), quantity=LICENSED)
    engine = make_engine(committed_eg.engine.url.render_as_string(hide_password=False), pool_size=CLIENTS)
    eg = ExportGuard(engine, make_session_factory(engine), committed_eg.clock)
    start = threading.Barrier(CLIENTS)
    drawn: list[str] = []
    refused: list[str] = []

    def client(n: int) -> None:
        start.wait()
        try:
            with eg.uow(CUSTOMS) as uow:
                shipments.record_shipment(uow, ship(permit.id, 1, declaration=f"D-{n}"))
            drawn.append(f"D-{n}")
        except DomainError as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine.dispose()
    assert len(drawn) == LICENSED
    assert len(refused) == CLIENTS - LICENSED
    # Every refused client is told why: nothing remains on the line.
    assert all("quantity 1 is above the 0 remaining on line 1" in r for r in refused), refused[:3]
    with committed_eg.read() as s:
        total = s.scalar(select(func.sum(ShipmentLine.quantity)))
        assert total == LICENSED
        assert s.scalar(select(func.count()).select_from(Shipment)) == LICENSED
        balance = s.scalars(select(PermitLineUsage)).one()
        assert (balance.quantity, balance.value) == (LICENSED, Decimal("1500000.00") * LICENSED)
        assert audit.verify(s, AUDITOR).ok


def test_the_same_declaration_sent_at_once_by_many_clients_is_drawn_once(committed_eg: ExportGuard) -> None:
    permit = issued(committed_eg, world(committed_eg), quantity=LICENSED)
    engine = make_engine(committed_eg.engine.url.render_as_string(hide_password=False), pool_size=10)
    eg = ExportGuard(engine, make_session_factory(engine), committed_eg.clock)
    start = threading.Barrier(10)
    answers: list[bool] = []

    def client() -> None:
        start.wait()
        with eg.uow(CUSTOMS) as uow:
            answers.append(
                shipments.record_shipment(uow, ship(permit.id, 2, day=date(2020, 6, 18))).already_recorded
            )

    threads = [threading.Thread(target=client) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine.dispose()
    assert sorted(answers) == [False] + [True] * 9
    with committed_eg.read() as s:
        assert s.scalar(select(func.sum(ShipmentLine.quantity))) == 2
        assert s.scalars(select(PermitLineUsage)).one().quantity == 2


def _clients(committed_eg: ExportGuard, n: int) -> tuple[ExportGuard, threading.Barrier]:
    engine = make_engine(committed_eg.engine.url.render_as_string(hide_password=False), pool_size=n)
    return ExportGuard(engine, make_session_factory(engine), committed_eg.clock), threading.Barrier(n)


def _run(clients: list[threading.Thread]) -> None:
    for t in clients:
        t.start()
    for t in clients:
        t.join()


def test_feeds_and_single_drawdowns_at_once_never_exceed_the_line(committed_eg: ExportGuard) -> None:
    """Customs feeds (3 declarations each) and single drawdowns race for one 7-unit line."""
    licensed, feeds, singles = LICENSED, 6, 6
    permit = issued(committed_eg, world(committed_eg), quantity=licensed)
    eg, start = _clients(committed_eg, feeds + singles)
    recorded: list[str] = []
    refused: list[str] = []

    def feed(n: int) -> None:
        batch = BatchInput(shipments=[ship(permit.id, 1, declaration=f"F-{n}-{k}") for k in range(3)])
        start.wait()
        with eg.uow(CUSTOMS) as uow:
            result = record_batch(uow, batch)
        for o in result.outcomes:
            (recorded if o.status is Status.RECORDED else refused).append(" ".join(o.reasons))

    def single(n: int) -> None:
        start.wait()
        try:
            with eg.uow(CUSTOMS) as uow:
                shipments.record_shipment(uow, ship(permit.id, 1, declaration=f"S-{n}"))
            recorded.append("")
        except DomainError as exc:
            refused.append(str(exc))

    _run(
        [threading.Thread(target=feed, args=(n,)) for n in range(feeds)]
        + [threading.Thread(target=single, args=(n,)) for n in range(singles)]
    )
    eg.engine.dispose()
    assert len(recorded) == licensed
    assert len(refused) == feeds * 3 + singles - licensed
    assert all("quantity 1 is above the 0 remaining on line 1" in r for r in refused), refused[:3]
    with committed_eg.read() as s:
        assert s.scalar(select(func.sum(ShipmentLine.quantity))) == licensed
        assert s.scalars(select(PermitLineUsage)).one().quantity == licensed
        assert audit.verify(s, AUDITOR).ok


def test_the_same_feed_sent_at_once_by_many_posts_is_drawn_once(committed_eg: ExportGuard) -> None:
    permit = issued(committed_eg, world(committed_eg), quantity=LICENSED)
    eg, start = _clients(committed_eg, 8)
    batch = BatchInput(shipments=[ship(permit.id, 1, declaration=f"F-{k}") for k in range(5)])
    answers: list[Status] = []

    def post() -> None:
        start.wait()
        with eg.uow(CUSTOMS) as uow:
            answers.extend(o.status for o in record_batch(uow, batch).outcomes)

    _run([threading.Thread(target=post) for _ in range(8)])
    eg.engine.dispose()
    assert sorted(answers).count(Status.RECORDED) == 5
    assert sorted(answers).count(Status.ALREADY_RECORDED) == 35
    with committed_eg.read() as s:
        assert s.scalar(select(func.count()).select_from(Shipment)) == 5
        assert s.scalars(select(PermitLineUsage)).one().quantity == 5
        assert audit.verify(s, AUDITOR).ok


def test_one_declaration_by_feed_and_by_single_drawdown_at_once_is_drawn_once(
    committed_eg: ExportGuard,
) -> None:
    """Both paths take the line's balance before the declaration id: no deadlock, one entry."""
    permit = issued(committed_eg, world(committed_eg), quantity=LICENSED)
    eg, start = _clients(committed_eg, 8)
    declaration = ship(permit.id, 2, declaration="TWICE")
    answers: list[bool] = []

    def feed() -> None:
        start.wait()
        with eg.uow(CUSTOMS) as uow:
            answers.extend(
                o.status is Status.RECORDED
                for o in record_batch(uow, BatchInput(shipments=[declaration])).outcomes
            )

    def single() -> None:
        start.wait()
        with eg.uow(CUSTOMS) as uow:
            answers.append(not shipments.record_shipment(uow, declaration).already_recorded)

    _run(
        [threading.Thread(target=feed) for _ in range(4)]
        + [threading.Thread(target=single) for _ in range(4)]
    )
    eg.engine.dispose()
    assert sorted(answers) == [False] * 7 + [True]
    with committed_eg.read() as s:
        assert s.scalars(select(PermitLineUsage)).one().quantity == 2
