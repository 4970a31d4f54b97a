"""Templates and the few filters pages need to show the regulation's facts plainly."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.responses import Response

from exportguard import i18n
from exportguard.domain.access import Action, Actor, may
from exportguard.domain.errors import DomainError, Problem
from exportguard.web import csrf
from exportguard.web.errors import validation_problems
from exportguard.web.labels import field_words, label
from exportguard.web.locale import language_switch, request_locale
from exportguard.web.texts import problem_text


def when(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    return value.isoformat()


def money(value: Decimal, currency: str = "") -> str:
    """Thousands separated and two decimals, the reader's way: 1,500,000.00 CAD or
    1 500 000,00 CAD (never through a float)."""
    return f"{i18n.format_number(value, 2)} {currency}".strip()


def number(value: int) -> str:
    return i18n.format_number(value, 0)


def options(values: object) -> list[tuple[str, str]]:
    """Codes as a select's options: (code, its words in the reader's language)."""
    assert isinstance(values, list | tuple)
    return [(str(v), label(v)) for v in values]


def field_id(field: str) -> str:
    """A problem's field (``lines.0.quantity``) as the id of its input (``lines-0-quantity``)."""
    return field.replace(".", "-").replace(" ", "-")


def field_name(field: str) -> str:
    """A problem's field as words in the error summary: ``lines.0.quantity`` -> line 1 quantity."""
    parts = [str(int(p) + 1) if p.isdigit() else field_words(p) for p in field.split(".")]
    return " ".join(parts)


def allowed(actor: Actor | None, action: str) -> bool:
    """For navigation only: may this actor do ``action``? (the services still check)."""
    return actor is not None and may(actor.role, Action(action))


def templates(directory: Path) -> Jinja2Templates:
    t = Jinja2Templates(directory=directory)
    t.env.add_extension("jinja2.ext.i18n")
    # Every word goes through gettext ({{ _("...") }}, {% trans %}); trans blocks are trimmed so
    # line breaks in a template never reach the catalogue (babel.cfg says the same to the extractor).
    t.env.policies["ext.i18n.trimmed"] = True
    t.env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        gettext=i18n.gettext, ngettext=_jinja_ngettext, newstyle=True
    )
    t.env.filters["label"] = label
    t.env.filters["when"] = when
    t.env.filters["money"] = money
    t.env.filters["number"] = number
    t.env.filters["field_id"] = field_id
    t.env.filters["options"] = options
    t.env.filters["field_name"] = field_name
    t.env.filters["say"] = problem_text
    t.env.globals["may"] = allowed
    t.env.globals["lang"] = i18n.current_locale
    t.env.globals["language_switch"] = language_switch
    return t


def _jinja_ngettext(singular: str, plural: str, n: int) -> str:
    # Jinja formats the result with its own variables (``num`` included): no formatting here.
    return i18n.translations(i18n.current_locale()).ngettext(singular, plural, n)


def page(request: Request, name: str, actor: Actor, status_code: int = 200, **context: Any) -> Response:
    """A page; signed in, it is never cached (ASVS 8.2.1), and its forms carry the CSRF token."""
    t: Jinja2Templates = request.app.state.templates
    # Rendered where this runs (a worker thread for plain ``def`` endpoints): the language is set
    # here too, from what LocaleMiddleware chose for the request.
    i18n.set_locale(request_locale(request))
    token = csrf.page_token(request)
    response = t.TemplateResponse(
        request, name, {"actor": actor, "csrf_token": token, **context}, status_code=status_code
    )
    csrf.remember(request, response)
    return response


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
    """Each problem under its field's full path (``lines.0.quantity``, beside that input) and under
    its head (``lines``, for forms that mark the whole group)."""
    out: dict[str, list[str]] = {}
    for p in problems:
        text = problem_text(p)
        out.setdefault(p.field, []).append(text)
        head = p.field.split(".")[0]
        if head != p.field:
            out.setdefault(head, []).append(text)
    return out


def refusal(exc: Exception) -> tuple[int, list[Problem]]:
    """The status and problems a refused form is shown again with, each beside its field; who may
    not (401, 403) gets the error page instead."""
    if isinstance(exc, ValidationError):
        return 422, validation_problems(exc.errors())
    assert isinstance(exc, DomainError)
    if exc.status in (401, 403):
        raise exc
    return exc.status, list(exc.problems) or [Problem("form", str(exc))]
