"""Many rows in one go: COPY on PostgreSQL, executemany on SQLite, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from exportguard.db.models import Country
from exportguard.services.kernel.bulk_writes import write_rows
from exportguard.services.system import ExportGuard
from tests.factories import OFFICER

TABLE = Country.__table__
CODES = ["QM", "QN", "QO"]  # ISO 3166 leaves QM-QZ to its users: no country has them
ROWS = [("QM", "Quarterland"), ("QN", "O'Brien's Isle"), ("QO", "Tab\there, newline\nthere")]


def _codes(eg: ExportGuard) -> dict[str, str]:
    with eg.read() as s:
        return {c.code: c.name for c in s.scalars(select(Country).where(Country.code.in_(CODES)))}


def test_rows_are_written_as_given_and_counted(eg: ExportGuard) -> None:
    streamed: Iterator[tuple[str, str]] = (row for row in ROWS)  # a generator: read once, as COPY does
    with eg.uow(OFFICER) as uow:
        assert write_rows(uow.session, TABLE, ["code", "name"], streamed) == 3
        uow.commit()
    assert _codes(eg) == dict(ROWS)  # quotes, tabs and newlines arrive intact


def test_columns_in_any_order(eg: ExportGuard) -> None:
    with eg.uow(OFFICER) as uow:
        assert write_rows(uow.session, TABLE, ["name", "code"], [(n, c) for c, n in ROWS]) == 3
        uow.commit()
    assert _codes(eg) == dict(ROWS)


def test_nothing_to_write(eg: ExportGuard) -> None:
    with eg.uow(OFFICER) as uow:
        assert write_rows(uow.session, TABLE, ["code", "name"], []) == 0
        uow.commit()
    assert _codes(eg) == {}


def test_the_rows_go_with_the_transaction(eg: ExportGuard) -> None:
    with eg.uow(OFFICER) as uow:
        write_rows(uow.session, TABLE, ["code", "name"], ROWS)
        seen = set(uow.session.scalars(select(Country.code).where(Country.code.in_(CODES))))
        assert seen == set(CODES)  # visible inside the transaction
    assert _codes(eg) == {}  # and gone with it when it is not committed
