"""What the columns can hold, checked on every flush, the same on SQLite and PostgreSQL (issue 11).

PostgreSQL refuses a string longer than its column, a NUL byte in any text and an integer beyond its
column's range, with a database error (a 500) in the middle of a use case; SQLite stores all three.
Inputs declare their own limits (services/kernel/common.py); this guard is the backstop that makes
every write path (API, pages, CLI, file imports) refuse them alike, naming the field, before SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer, SmallInteger, String, event, inspect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator, TypeEngine

from exportguard.domain.errors import InvalidInput, Problem

# The widest integer each column type holds on PostgreSQL (SQLite's integers are 64-bit).
INTEGER_LIMITS: tuple[tuple[type[TypeEngine[Any]], int], ...] = (
    (SmallInteger, 2**15 - 1),
    (BigInteger, 2**63 - 1),
    (Integer, 2**31 - 1),
)
# Money and Percent are kept as integer hundredths in a BigInteger.
HUNDREDTHS_LIMIT = Decimal(2**63 - 1) / 100


def _integer_limit(column_type: TypeEngine[Any]) -> int | None:
    for kind, limit in INTEGER_LIMITS:
        if isinstance(column_type, kind):
            return limit
    return None


def _problem(column_type: TypeEngine[Any], value: object) -> str | None:
    """What is wrong with ``value`` for a column of ``column_type`` (None: it fits)."""
    impl = column_type.impl_instance if isinstance(column_type, TypeDecorator) else column_type
    if isinstance(value, str):
        return _text_problem(impl, value)
    if isinstance(value, int) and not isinstance(value, bool):
        limit = _integer_limit(impl)
        if limit is not None and not -limit - 1 <= value <= limit:
            return f"{value} is outside the range this field can hold (at most {limit})"
    elif isinstance(value, Decimal) and isinstance(column_type, TypeDecorator):
        if not value.is_finite() or abs(value) > HUNDREDTHS_LIMIT:
            return f"{value} is outside the range this field can hold"
    elif isinstance(value, list | dict):
        return _nul_in(value)
    return None


def _text_problem(impl: TypeEngine[Any], value: str) -> str | None:
    if "\x00" in value:
        return "must not contain a NUL byte"
    length = getattr(impl, "length", None)
    if isinstance(impl, String) and length is not None and len(value) > length:
        return f"at most {length} characters (found {len(value)})"
    return None


def _nul_in(value: object) -> str | None:
    """JSON columns: no NUL byte in any string they hold (PostgreSQL's json refuses \\u0000)."""
    if isinstance(value, str):
        return "must not contain a NUL byte" if "\x00" in value else None
    items: Iterable[object] = ()
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        items = value
    return next((found for found in (_nul_in(v) for v in items) if found), None)


def problems_of(row: object) -> list[Problem]:
    """Every value of ``row`` that its column cannot hold, each named by its attribute."""
    state = inspect(row)
    problems = []
    for attribute in state.mapper.column_attrs:
        column = attribute.columns[0]
        value = state.dict.get(attribute.key)
        if value is None:
            continue
        message = _problem(column.type, value)
        if message is not None:
            problems.append(Problem(attribute.key, message))
    return problems


def check_flush(session: Session, _context: object, _instances: object) -> None:
    problems = [p for row in [*session.new, *session.dirty] for p in problems_of(row)]
    if problems:
        raise InvalidInput("a value does not fit where it is stored", problems)


def install(factory: sessionmaker[Session]) -> None:
    """Check every flush of ``factory``'s sessions (once, however often it is called)."""
    if not event.contains(factory, "before_flush", check_flush):
        event.listen(factory, "before_flush", check_flush)
