"""Reading a page's form and saying what is wrong with it in plain words, beside each field.

pydantic's messages ("Input should be a valid integer, unable to parse string as an integer") are
for programmers; a person is told what to enter, in their language. The field keeps pydantic's
path (``lines.0.quantity``), which is also the input's id with dots as dashes, so the error summary
links to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from exportguard.domain.errors import DomainError, Problem
from exportguard.i18n import LazyText
from exportguard.i18n import lazy_gettext as _l
from exportguard.web.errors import field_path

PLAIN: dict[str, LazyText] = {
    "missing": _l("This cannot be empty."),
    "string_too_short": _l("This cannot be empty."),
    "string_type": _l("This cannot be empty."),
    "int_parsing": _l("Enter a whole number, like 7."),
    "int_type": _l("Enter a whole number, like 7."),
    "int_from_float": _l("Enter a whole number, like 7."),
    "decimal_parsing": _l("Enter an amount, like 1200000.00."),
    "decimal_type": _l("Enter an amount, like 1200000.00."),
    "decimal_max_places": _l("Use at most two decimal places."),
    "decimal_max_digits": _l("This amount is too large."),
    "date_from_datetime_parsing": _l("Enter a date as YYYY-MM-DD, like 2020-05-22."),
    "date_parsing": _l("Enter a date as YYYY-MM-DD, like 2020-05-22."),
    "date_type": _l("Enter a date as YYYY-MM-DD, like 2020-05-22."),
    "enum": _l("Choose one of the options."),
    "literal_error": _l("Choose one of the options."),
    "string_pattern_mismatch": _l("Enter a two-letter country code, like TR."),
    "bool_parsing": _l("Choose yes or no."),
}
BOUNDS: dict[str, LazyText] = {
    "greater_than_equal": _l("Enter a number of at least %(ge)s."),
    "greater_than": _l("Enter a number above %(gt)s."),
    "less_than_equal": _l("Enter a number of at most %(le)s."),
    "string_too_long": _l("Use at most %(max_length)s characters."),
}


def plain_problems(errors: Sequence[Any]) -> list[Problem]:
    out = []
    for e in errors:
        kind, ctx = e.get("type", ""), e.get("ctx") or {}
        if kind == "string_too_short" and ctx.get("min_length", 1) > 1:
            message = str(e.get("msg", ""))
        elif kind in BOUNDS:
            message = str(BOUNDS[kind]) % {k: ctx.get(k, "") for k in ("ge", "gt", "le", "max_length")}
        else:
            message = str(PLAIN.get(kind, e.get("msg", "")))
        out.append(Problem(field_path(list(e.get("loc", ()))) or "form", message))
    return out


def problems_of(exc: ValidationError | DomainError) -> list[Problem]:
    """A form's problems; a refusal that is no fault of the form (401/403/404) is raised on."""
    if isinstance(exc, ValidationError):
        return plain_problems(exc.errors())
    if exc.status in (401, 403, 404):
        raise exc
    return exc.problems or [Problem("", str(exc))]


async def posted_form(request: Request) -> FormData:
    """The posted form, read on the event loop (the one await a form handler needs), so that the
    handler itself is a plain ``def``: FastAPI runs it in the threadpool, and its database work
    (services and their unit of work) never holds up other requests. tests/test_code_quality.py
    fails on an ``async def`` handler that reaches the database."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def read_form(form: FormData) -> tuple[dict[str, str], dict[str, UploadFile]]:
    """The form's text fields (trimmed) and its files (CSRF is checked before, by web/csrf.py)."""
    text = {k: str(v).strip() for k, v in form.multi_items() if isinstance(v, str)}
    files = {k: v for k, v in form.multi_items() if isinstance(v, UploadFile) and v.filename}
    return text, files
