"""Who is asking: a bearer token (API) or the sign-in cookie (pages); no credentials is ``public``.

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
from exportguard.services.parties.principal_cache import PrincipalCache
from exportguard.services.system import ExportGuard

ANONYMOUS = Actor("anonymous", Role.PUBLIC)
SESSION_COOKIE = "eg_token"

bearer = HTTPBearer(auto_error=False, description="A principal's API token")


def system_of(request: Request) -> ExportGuard:
    system: ExportGuard = request.app.state.system
    return system


def principals_of(request: Request) -> PrincipalCache:
    cache: PrincipalCache = request.app.state.principals
    return cache


def resolve(request: Request, token: str | None) -> Actor:
    """The actor for ``token`` (None: anonymous), remembered on the request for error handling.

    A token seen in the last few seconds is answered from memory (services/parties/principal_cache.py).
    """
    actor = ANONYMOUS
    if token is not None:
        actor = principals_of(request).actor(system_of(request).session_factory, token)
    request.state.actor = actor
    return actor


async def api_actor(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Actor:
    if credentials is None and request.headers.get("authorization"):
        # A header we cannot read is a failed sign-in, not a request to act as the public.
        request.state.actor = ANONYMOUS
        raise NotAuthenticated(
            "the Authorization header must be 'Bearer <token>'",
            [Problem("authorization", "expected the Bearer scheme")],
        )
    if credentials is None:
        return resolve(request, None)
    # A token seen moments ago is answered here, on the event loop; only a database look-up goes to
    # the threadpool (each hop there costs about as much as the border's whole check).
    actor = principals_of(request).remembered(credentials.credentials)
    if actor is not None:
        request.state.actor = actor
        return actor
    return await run_in_threadpool(resolve, request, credentials.credentials)


def page_actor(request: Request) -> Actor:
    return resolve(request, request.cookies.get(SESSION_COOKIE) or None)


ApiActor = Annotated[Actor, Depends(api_actor)]
PageActor = Annotated[Actor, Depends(page_actor)]
System = Annotated[ExportGuard, Depends(system_of)]
