"""Cross-site request forgery (OWASP CSRF cheat sheet): every state-changing form carries a token.

Signed in, the token is the session's own (kept server-side with it); before signing in, it is a
random value in a cookie of its own, repeated in the form (double submit). A form post is refused
(403, nothing done) when its Origin header names another site, or when its token is missing or does
not match, Origin or not. Both sign-in and sign-out are such posts. The session cookie is also
SameSite=Lax and HttpOnly.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from exportguard.domain.errors import DomainError, Problem
from exportguard.web.auth import live_session

FIELD = "csrf_token"
PRE_SESSION_COOKIE = "eg_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ForgeryRefused(DomainError):
    """403 whoever is signed in (never turned into "sign in first": the form must not be replayed)."""

    status = 403
    title = "Form refused (cross-site request forgery defence)"


def _refuse(why: str) -> ForgeryRefused:
    return ForgeryRefused(f"the form was refused: {why}", [Problem(FIELD, why)])


def expected_token(request: Request) -> str | None:
    session = live_session(request)
    if session is not None:
        return session.csrf_token
    return request.cookies.get(PRE_SESSION_COOKIE) or None


async def csrf_guard(request: Request) -> None:
    """Router dependency of every page: refuses a cross-site or token-less state-changing request."""
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("origin")
    if origin and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        raise _refuse("sent from another site")
    form = await request.form()
    sent = form.get(FIELD)
    expected = await run_in_threadpool(expected_token, request)
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise _refuse("missing or wrong form token (reload the page and try again)")


def page_token(request: Request) -> str:
    """The token for this page's forms; before sign-in a fresh one is set as a cookie by ``remember``."""
    session = live_session(request)
    if session is not None:
        token: str = session.csrf_token
        return token
    existing = request.cookies.get(PRE_SESSION_COOKIE)
    if existing:
        return existing
    fresh = getattr(request.state, "fresh_csrf", None) or secrets.token_urlsafe(32)
    request.state.fresh_csrf = fresh
    return fresh


def remember(request: Request, response: Response) -> None:
    """Set the pre-session token's cookie when this page made a fresh one."""
    fresh = getattr(request.state, "fresh_csrf", None)
    if fresh:
        response.set_cookie(
            PRE_SESSION_COOKIE,
            fresh,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
