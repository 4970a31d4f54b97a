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
from exportguard.services import audit, shipments
from exportguard.services.context import ExportGuard
from tests.factories import AUDITOR, issued, world
from tests.integration.services.test_shipments import CUSTOMS, ship

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
