"""Templates and the few filters pages need to show the regulation's facts plainly."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from exportguard.domain.access import Action, Actor, may
from exportguard.domain.errors import NotPermitted, Problem


def label(value: object) -> str:
    """``not_yet_valid`` -> ``not yet valid``: codes read as words on a page."""
    return "" if value is None else str(value).replace("_", " ")


def when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    return value.isoformat()


def money(value: Decimal, currency: str = "") -> str:
    """Thousands separated and two decimals: 1,500,000.00 CAD (never through a float)."""
    return f"{value:,.2f} {currency}".strip()


def allowed(actor: Actor | None, action: str) -> bool:
    """For navigation only: may this actor do ``action``? (the services still check)."""
    return actor is not None and may(actor.role, Action(action))


def templates(directory: Path) -> Jinja2Templates:
    t = Jinja2Templates(directory=directory)
    t.env.filters["label"] = label
    t.env.filters["when"] = when
    t.env.filters["money"] = money
    t.env.globals["may"] = allowed
    return t


def page(request: Request, name: str, actor: Actor, status_code: int = 200, **context: Any) -> Response:
    t: Jinja2Templates = request.app.state.templates
    return t.TemplateResponse(request, name, {"actor": actor, **context}, status_code=status_code)


def form_page(request: Request, name: str, actor: Actor, problems: list[Problem], **context: Any) -> Response:
    """A page with a form: 422 with each problem beside its field, or 200."""
    return page(
        request,
        name,
        actor,
        status_code=422 if problems else 200,
        errors=problems_by_field(problems),
        problems=problems,
        **context,
    )


def problems_by_field(problems: list[Problem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(p.field.split(".")[0], []).append(p.message)
    return out


def same_origin(request: Request) -> None:
    """The sign-in cookie is SameSite=Lax, so other sites' forms do not carry it; a browser's
    Origin header, when sent, must also be this site's (OWASP CSRF: verifying origin)."""
    origin = request.headers.get("origin")
    if origin and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        raise NotPermitted("the form was not sent from this site", [Problem("origin", origin)])
