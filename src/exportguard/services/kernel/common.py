"""Pieces every command shares: the act's date, reason and legal basis; lookups that 404 cleanly."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from sqlalchemy.orm import Session

from exportguard.db.models import Base
from exportguard.domain.errors import NotFound, Problem

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


# Upper-case before the pattern check, so "tr" is read as "TR" rather than refused.
CountryCodeStr = Annotated[str, BeforeValidator(_upper), StringConstraints(pattern=r"^[A-Z]{2}$")]


class Input(BaseModel):
    """Base of every command's input: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
