"""Every API error is an RFC 9457 problem (application/problem+json) naming each field at fault.

Pages get the same facts as an HTML page. Handlers only describe the failure: the unit of work
has already rolled back (it commits once, at the end of a use case), so nothing is half-written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY

from exportguard import i18n
from exportguard.domain.access import Role
from exportguard.domain.errors import DomainError, NotAuthenticated, NotPermitted, Problem
from exportguard.web import csrf
from exportguard.web.error_titles import page_title
from exportguard.web.locale import request_locale
from exportguard.web.texts import detail, problem_text

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api"
log = logging.getLogger(__name__)


def _slug(title: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())


def problem_body(status: int, title: str, detail: str, problems: Iterable[Problem] = ()) -> dict[str, Any]:
    return {
        # RFC 9457 s.3.1.1: a URI naming the problem type; a URN since the network may be closed.
        "type": f"urn:exportguard:problem:{_slug(title)}",
        "title": title,
        "status": status,
        "detail": detail,
        # Each problem's words in the request's language, with its code and parameters (stable, for
        # programs) when the domain gave one.
        "errors": [_problem_entry(p) for p in problems],
    }


def _problem_entry(problem: Problem) -> dict[str, Any]:
    entry: dict[str, Any] = {"field": problem.field, "message": problem_text(problem)}
    if problem.said is not None:
        entry["code"] = problem.said.code
        entry["params"] = {
            k: v if isinstance(v, int | float | str | None) else str(v) for k, v in problem.said.params
        }
    return entry


def field_path(loc: Sequence[int | str]) -> str:
    """pydantic's location without FastAPI's source prefix: ``lines.0.quantity``."""
    parts = list(loc)
    if len(parts) > 1 and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(str(p) for p in parts)


def validation_problems(errors: Sequence[Any]) -> list[Problem]:
    out = []
    for e in errors:
        loc = list(e.get("loc", ()))
        if e.get("type") == "json_invalid":
            # The position of the syntax error is not a field: name the body itself.
            out.append(Problem("body", f"malformed JSON: {e.get('ctx', {}).get('error', e['msg'])}"))
            continue
        out.append(Problem(field_path(loc) or "body", str(e.get("msg", "invalid"))))
    return out


def is_api(request: Request) -> bool:
    return request.url.path == API_PREFIX or request.url.path.startswith(API_PREFIX + "/")


def _is_anonymous(request: Request) -> bool:
    actor = getattr(request.state, "actor", None)
    return actor is None or actor.role is Role.PUBLIC


def render(
    request: Request,
    status: int,
    title: str,
    detail: str,
    problems: list[Problem],
    *,
    headers: dict[str, str] | None = None,
) -> Response:
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": 'Bearer realm="exportguard"'}
    if is_api(request):
        return JSONResponse(
            problem_body(status, title, detail, problems),
            status_code=status,
            media_type=PROBLEM_JSON,
            headers=headers,
        )
    if status == 401:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(back, safe='/')}", status_code=303)
    templates: Jinja2Templates = request.app.state.templates
    i18n.set_locale(request_locale(request))
    return templates.TemplateResponse(
        request,
        "error.html",
        {
            "status": status,
            "title": page_title(title),
            "detail": detail,
            "problems": problems,
            "actor": getattr(request.state, "actor", None),
            "csrf_token": csrf.page_token(request),
        },
        status_code=status,
        headers=headers,
    )


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, NotPermitted) and _is_anonymous(request):
        # RFC 9110 s.15.5.2: without credentials the answer is 401 (authenticate), not 403.
        exc = NotAuthenticated(
            "this needs a signed-in principal: send 'Authorization: Bearer <token>'",
            [Problem("authorization", "required for this request")],
        )
    i18n.set_locale(request_locale(request))
    response = render(request, exc.status, exc.title, detail(exc), list(exc.problems))
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:  # RFC 6585 s.4: a 429 says when to come back
        response.headers["Retry-After"] = str(retry_after)
    return response


async def on_request_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError | ValidationError)
    errors = exc.errors()
    problems = validation_problems(errors)
    detail = "; ".join(str(p) for p in problems)
    if any(e.get("type") == "json_invalid" for e in errors):
        # RFC 9110 s.15.5.1: a body that is not JSON at all is a bad request, not a rule broken.
        return render(request, 400, "Malformed JSON", detail, problems)
    return render(request, 422, "Invalid input", detail, problems)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        detail = f"no resource at {request.url.path}"
        if not is_api(request):
            detail = i18n.gettext("no resource at %(path)s", path=request.url.path)
        return render(request, 404, "Not found", detail, [])
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
        return render(request, 405, "Method not allowed", detail, [])
    title = HTTP_TITLES.get(exc.status_code, "Request failed")
    detail = str(exc.detail)
    limit = request.scope.get(MAX_BODY_SIZE_SCOPE_KEY)
    if exc.status_code == 413 and limit is not None:
        detail = f"the request body is larger than {request.url.path} takes ({limit} bytes)"
    return render(request, exc.status_code, title, detail, [], headers=dict(exc.headers or {}))


# Refusals made before a request reaches its endpoint (web/request_limits.py, rate_limits.py).
HTTP_TITLES = {
    400: "Bad request",
    413: "Request body too large",
    429: "Too many requests",
}


async def on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    detail = "the request failed; nothing was changed"
    return render(request, 500, "Internal error", detail if is_api(request) else i18n.gettext(detail), [])


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_request_validation)
    app.add_exception_handler(ValidationError, on_request_validation)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
