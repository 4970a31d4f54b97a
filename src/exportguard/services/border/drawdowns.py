"""Drawing on permit lines: one conditional UPDATE per line, so that no line is ever overdrawn.

``UPDATE permit_line_usage SET quantity = quantity + :q, value = value + :v WHERE permit_line_id
= :id AND quantity + :q <= :licensed AND value + :v <= :licensed_value``: the database takes the
row lock and re-evaluates the condition on the committed balance (PostgreSQL READ COMMITTED; SQLite
writers are serialised by BEGIN IMMEDIATE), so concurrent drawdowns queue on the line for the length
of one statement and the loser is told what remains. Lines are updated in id order (no deadlocks).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, Table, bindparam, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from exportguard.db.models import PermitLineUsage
from exportguard.db.models.base import Money
from exportguard.domain.authorisation import Drawdown, Drawn, LicensedLine

# The balance table itself (Core): statements on it skip the ORM's bulk update path, which cost more
# than the database's work for a drawdown.
U = cast(Table, PermitLineUsage.__table__).c
USAGE = cast(Table, PermitLineUsage.__table__)


def _ensure_rows(session: Session, line_ids: Iterable[int]) -> None:
    """Create missing balances at zero; a concurrent creator's row is kept (ON CONFLICT DO NOTHING)."""
    rows = [{"permit_line_id": i, "quantity": 0, "value": Decimal("0.00")} for i in line_ids]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(USAGE).values(rows).on_conflict_do_nothing(index_elements=["permit_line_id"]))


def _money(value: Decimal) -> Any:
    return literal(value, Money())


# Built once: a statement made per drawdown costs more Python than the database spends on it.
_TAKE = (
    update(USAGE)
    .where(
        U.permit_line_id == bindparam("line_id"),
        U.quantity + bindparam("q") <= bindparam("max_q"),
        U.value + bindparam("v", type_=Money()) <= bindparam("max_v", type_=Money()),
    )
    .values(quantity=U.quantity + bindparam("q"), value=U.value + bindparam("v", type_=Money()))
)


def _take(session: Session, d: Drawdown, licensed: LicensedLine) -> bool:
    params = {
        "line_id": d.line_id,
        "q": d.quantity,
        "max_q": licensed.quantity - licensed.carried.quantity,
        "v": d.value,
        "max_v": licensed.value - licensed.carried.value,
    }
    return cast(CursorResult[Any], session.execute(_TAKE, params)).rowcount == 1


def draw(session: Session, drawdowns: Sequence[Drawdown], lines: Sequence[LicensedLine]) -> list[Drawdown]:
    """Draw every line or report the ones that would be overdrawn (the caller rolls back)."""
    licensed = {ln.line_id: ln for ln in lines}
    ordered = sorted(drawdowns, key=lambda d: d.line_id)
    refused = []
    for d in ordered:
        if _take(session, d, licensed[d.line_id]):
            continue
        # No balance row yet (the line's first drawdown), or not enough left: create the row if it
        # is missing (a concurrent creator's row is kept) and try once more on the committed balance.
        _ensure_rows(session, [d.line_id])
        if not _take(session, d, licensed[d.line_id]):
            refused.append(d)
    return refused


def give_back(session: Session, line_id: int, quantity: int, value: Decimal) -> None:
    """A reversal returns quantity and value to the line (never below zero: checked by the caller)."""
    _ensure_rows(session, [line_id])
    session.execute(
        update(USAGE)
        .where(U.permit_line_id == line_id)
        .values(quantity=U.quantity - quantity, value=U.value - _money(value))
    )


def lock_balances(session: Session, line_ids: Iterable[int]) -> dict[int, Drawn]:
    """The balances of ``line_ids``, each row locked until commit (created at zero if missing).

    Rows are locked in line id order (as ``draw`` takes them), so batches and single drawdowns
    never deadlock on each other; SQLite's writers are already one at a time (BEGIN IMMEDIATE).
    """
    ids = sorted(set(line_ids))
    if not ids:
        return {}
    _ensure_rows(session, ids)
    rows = session.execute(
        select(U.permit_line_id, U.quantity, U.value)
        .where(U.permit_line_id.in_(ids))
        .order_by(U.permit_line_id)
        .with_for_update()
    )
    return {line_id: Drawn(int(qty), Decimal(value)) for line_id, qty, value in rows}


def add_to_balances(session: Session, added: Mapping[int, Drawn]) -> None:
    """Add what a batch drew to balances it holds locked (``lock_balances``): one statement."""
    params = [
        {"line_id": line_id, "dq": d.quantity, "dv": d.value}
        for line_id, d in sorted(added.items())
        if d.quantity or d.value
    ]
    if params:
        session.execute(
            update(USAGE)
            .where(U.permit_line_id == bindparam("line_id"))
            .values(quantity=U.quantity + bindparam("dq"), value=U.value + bindparam("dv", type_=Money())),
            params,
        )
