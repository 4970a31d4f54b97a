"""The baseline of the HTTP saturation figures: a bare FastAPI endpoint with a pydantic body, no
database, no middleware (``uvicorn --factory _bare_app:app``, the same workers as the real one)."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI
from pydantic import BaseModel


class Line(BaseModel):
    line_no: int
    quantity: int


class Question(BaseModel):
    permit: str
    shipped_on: date
    destination: str | None = None
    consignee: str | None = None
    lines: list[Line]


def app() -> FastAPI:
    bare = FastAPI()

    @bare.post("/api/authorisations/check")
    def check(q: Question) -> dict[str, object]:
        return {"permit": q.permit, "authorised": True, "reasons": []}

    return bare
