"""Pieces every command shares: the act's date, reason and legal basis; lookups that 404 cleanly.

Issue 11: every Input refuses what storage cannot hold, naming the field, on both databases: a NUL
byte in any string, an integer outside PostgreSQL's ``integer`` (unless the field is WIDE), a date
outside EARLIEST_DAY..LATEST_DAY, a string longer than MAX_TEXT (a field stored in a narrower column
says so with ``width``), and unknown fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import Session

from exportguard.db.models import Base
from exportguard.domain.errors import NotFound, Problem

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


# Upper-case before the pattern check, so "tr" is read as "TR" rather than refused.
CountryCodeStr = Annotated[str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z]{2}$")]


DB_INT_MAX = 2**31 - 1  # PostgreSQL's integer, the type of every id and quantity column
DB_BIGINT_MAX = 2**63 - 1
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2199, 12, 31)
MAX_TEXT = 10_000  # a reason, a description, an end use: more is not a record but a flood


class Wide:
    """Marks an integer field that may hold a 64-bit value (audit sequence numbers)."""


WIDE = Wide()


def width(column: Any) -> int:
    """The length of a ``String(n)`` column, for the Input field stored in it: ``Field(max_length=
    width(Party.name))`` keeps the check and the storage the same."""
    length: int = column.property.columns[0].type.length
    return length


RecordId = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
Quantity = Annotated[int, Field(gt=0, le=DB_INT_MAX, description="A positive whole number of units")]
# Money is stored as integer hundredths: two decimals, and far below the column's limit.
Amount = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]


def _iso4217(value: str) -> str:
    if pycountry.currencies.get(alpha_3=value) is None:
        raise PydanticCustomError("currency", "'{value}' is not an ISO 4217 currency code", {"value": value})
    return value


CurrencyCode = Annotated[
    str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_iso4217)
]


def record_id(text: str) -> int | None:
    """The id a presented key names, if it is one: ASCII digits within the ids' range (a permit
    number such as ``EXP-2020-000001`` or a number beyond any id is not)."""
    if text.isascii() and text.isdigit() and 1 <= int(text) <= DB_INT_MAX:
        return int(text)
    return None


def storable_problem(value: object, *, wide: bool = False) -> str | None:
    """Why ``value`` cannot be stored (None: it can); lists and dicts are searched throughout."""
    if isinstance(value, str):
        return "must not contain a NUL byte" if "\x00" in value else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        limit = DB_BIGINT_MAX if wide else DB_INT_MAX
        return None if -limit - 1 <= value <= limit else f"must be between {-limit - 1} and {limit}"
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        if EARLIEST_DAY <= day <= LATEST_DAY:
            return None
        return f"must be between {EARLIEST_DAY} and {LATEST_DAY}"
    items: Iterable[object] = ()
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    return next((p for p in (storable_problem(v, wide=wide) for v in items) if p), None)


class Input(BaseModel):
    """Base of every command's input: unknown fields are errors, not silently dropped, and nothing
    is accepted that storage cannot hold (see the module's docstring)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_max_length=MAX_TEXT)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: object, info: ValidationInfo) -> object:
        field = cls.model_fields.get(info.field_name or "")
        wide = field is not None and any(isinstance(m, Wide) for m in field.metadata)
        problem = storable_problem(value, wide=wide)
        if problem is not None:
            raise PydanticCustomError("storable", problem)
        return value


class View(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Act(Input):
    """What every ministerial or administrative act carries (ARCHITECTURE: cross-cutting rules)."""

    reason: NonEmpty = Field(description="Why the act is taken; kept in the audit log")
    legal_basis: NonEmpty | None = Field(default=None, description="Defaults to the command's statute")
    effective_date: date | None = Field(default=None, description="Defaults to today")


M = TypeVar("M", bound=Base)


def get_or_404(session: Session, model: type[M], key: Any, what: str, field: str = "id") -> M:
    found = session.get(model, key)
    if found is None:
        raise NotFound(f"no {what} {key}", [Problem(field, f"no {what} {key}")])
    return found
