"""Signing in (username and API token, kept in an HttpOnly cookie) and signing out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from exportguard.domain.errors import NotAuthenticated
from exportguard.i18n import _
from exportguard.services.parties.registry import actor_for_token
from exportguard.web.auth import ANONYMOUS, SESSION_COOKIE, System
from exportguard.web.pages.rendering import page
from exportguard.web.request_limits import KIB, PUBLIC

router = APIRouter()
# A working day: a forgotten browser does not stay signed in for ever.
SESSION_SECONDS = 8 * 3600


def _local(path: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/permits"


@router.get("/")
def home() -> Response:
    return RedirectResponse("/permits", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:  # noqa: A002 - the usual name
    return page(request, "login.html", ANONYMOUS, next=_local(next), error=None, username="")


@router.post("/login", max_body_size=16 * KIB, openapi_extra=PUBLIC)
def login(
    request: Request,
    system: System,
    username: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/permits",  # noqa: A002 - mirrors the query parameter
) -> Response:
    actor = None
    if username.strip() and token.strip():
        with system.read() as session:
            try:
                actor = actor_for_token(session, token.strip())
            except NotAuthenticated:
                actor = None
    if actor is None or actor.principal != username.strip():
        return page(
            request,
            "login.html",
            ANONYMOUS,
            status_code=401,
            next=_local(next),
            username=username,
            error=_("The username and token do not match a principal. Check both and try again."),
        )
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token.strip(),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout", max_body_size=KIB, openapi_extra=PUBLIC)
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
