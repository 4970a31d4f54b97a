"""Who is asking: an API token (Bearer, for systems) or a sign-in session (the pages' cookie);
no credentials is ``public``.

Only identity is settled here. What each role may do is decided by the services against the one
declared table (domain/access.py PERMISSIONS), so the web and the CLI cannot disagree.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import NotAuthenticated, Problem
from exportguard.services.accounts.principal_cache import PrincipalCache
from exportguard.services.accounts.sessions import LiveSession, resolve
from exportguard.services.system import ExportGuard
from exportguard.web.throttle import client_of, throttle_of

ANONYMOUS = Actor("anonymous", Role.PUBLIC)
SESSION_COOKIE = "eg_session"

bearer = HTTPBearer(auto_error=False, description="An API token issued to an account")


def system_of(request: Request) -> ExportGuard:
    system: ExportGuard = request.app.state.system
    return system


def principals_of(request: Request) -> PrincipalCache:
    cache: PrincipalCache = request.app.state.principals
    return cache


def _token_actor(request: Request, token: str) -> Actor:
    system = system_of(request)
    try:
        return principals_of(request).actor(system.session_factory, token, system.clock.now())
    except NotAuthenticated:
        throttle_of(request).failed(client_of(request))
        raise


async def api_actor(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Actor:
    request.state.actor = ANONYMOUS
    if credentials is None and request.headers.get("authorization"):
        # A header we cannot read is a failed sign-in, not a request to act as the public.
        raise NotAuthenticated(
            "the Authorization header must be 'Bearer <token>'",
            [Problem("authorization", "expected the Bearer scheme")],
        )
    if credentials is None:
        return ANONYMOUS
    throttle_of(request).check(client_of(request))
    # Every request asks the database whether its token still works (a revoked token is refused at
    # once); who it belongs to is remembered for a few seconds (services/accounts/principal_cache.py).
    actor = await run_in_threadpool(_token_actor, request, credentials.credentials)
    request.state.actor = actor
    return actor


class SignInStepRequired(Exception):
    """A session that must finish signing in (code, new password, enrolment) first: go to ``location``."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


STEP_PAGES = {
    "second_factor": "/login/code",
    "password": "/account/password",
    "enrol": "/account/second-factor",
}


def live_session(request: Request) -> LiveSession | None:
    """The request's sign-in session (resolved once per request), or None."""
    if not hasattr(request.state, "live_session"):
        session_id = request.cookies.get(SESSION_COOKIE)
        request.state.live_session = resolve(system_of(request), session_id) if session_id else None
    found: LiveSession | None = request.state.live_session
    return found


def page_actor(request: Request) -> Actor:
    """The signed-in account, or the public; a session with a step left is sent to that step."""
    session = live_session(request)
    actor = ANONYMOUS
    if session is not None:
        if session.pending is not None:
            request.state.actor = ANONYMOUS
            raise SignInStepRequired(STEP_PAGES[session.pending])
        actor = session.actor
    request.state.actor = actor
    return actor


ApiActor = Annotated[Actor, Depends(api_actor)]
PageActor = Annotated[Actor, Depends(page_actor)]
System = Annotated[ExportGuard, Depends(system_of)]
