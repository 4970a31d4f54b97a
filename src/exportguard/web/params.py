"""Path parameters as storage holds them (issue 11): an id beyond PostgreSQL's integer is a 422
naming the parameter, never a database error."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from exportguard.services.kernel.common import DB_INT_MAX

RecordIdPath = Annotated[int, Path(ge=1, le=DB_INT_MAX, description="The record's id")]
