"""What every request meets before the application reads a byte of its body (issue 11).

A plain ASGI middleware (like SecurityHeaders in app.py: Starlette's ``BaseHTTPMiddleware`` would
stream every body through a queue). In order:
1. a NUL byte in the path or query string is refused (400): no database stores one;
2. a request that may write (POST, PUT, PATCH, DELETE) is matched to its route; unless the route
   says the public may send it (``openapi_extra=PUBLIC``), its credentials (API: bearer token;
   pages: sign-in cookie) are checked first, so an anonymous or unknown caller gets its 401 before
   any body is read or parsed;
3. a declared ``Content-Length`` above the route's limit is refused (413) unread;
4. anonymous requests count against the client's public allowance (rate_limits.py; 429).
The limit is FastAPI's own ``max_body_size``: DEFAULT_BODY_LIMIT for the app, more or less on the
routes that say so; FastAPI also counts a body sent without a length as it is read (413).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from exportguard.domain.errors import NotAuthenticated, Problem
from exportguard.services.accounts.sessions import resolve
from exportguard.web import errors
from exportguard.web.auth import SESSION_COOKIE
from exportguard.web.rate_limits import RateLimits, client_of

KIB, MIB = 1024, 1024 * 1024
# A JSON command or a page's form: an application of 1,000 lines is about 300 KB.
DEFAULT_BODY_LIMIT = MIB
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A route's ``openapi_extra`` when the public may send it a body without signing in.
PUBLIC: dict[str, Any] = {"x-public": True}


@dataclass(frozen=True)
class WriteRoute:
    pattern: re.Pattern[str]
    methods: frozenset[str]
    public: bool
    limit: int


def write_routes(app: Any) -> list[WriteRoute]:
    """Every route that takes a body, compiled once (matching them all costs a few microseconds)."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        methods = frozenset(context.methods or ()) & UNSAFE_METHODS
        if isinstance(route, APIRoute) and methods:
            public = bool((route.openapi_extra or {}).get("x-public"))
            limit = route.max_body_size or DEFAULT_BODY_LIMIT
            found.append(WriteRoute(context.path_regex, methods, public, limit))
    return found


def write_route(scope: Scope) -> WriteRoute | None:
    """The route that takes this request's body (None: no route does)."""
    state = scope["app"].state
    routes: list[WriteRoute] | None = getattr(state, "write_routes", None)
    if routes is None:
        routes = state.write_routes = write_routes(scope["app"])
    path, method = scope["path"], scope["method"]
    for route in routes:
        if method in route.methods and route.pattern.match(path):
            return route
    return None


def _is_api(scope: Scope) -> bool:
    path: str = scope["path"]
    return path == errors.API_PREFIX or path.startswith(errors.API_PREFIX + "/")


def credentials_of(scope: Scope) -> str | None:
    """The token a request presents: the bearer token (API), else the sign-in cookie (pages).

    Raises NotAuthenticated for an Authorization header that is not ``Bearer <token>``.
    """
    header = Headers(scope=scope).get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated(
                "the Authorization header must be 'Bearer <token>'",
                [Problem("authorization", "expected the Bearer scheme")],
            )
        return token.strip()
    if _is_api(scope):
        return None
    return Request(scope).cookies.get(SESSION_COOKIE) or None


class RequestLimits:
    """NUL refusal, declared sizes, authentication before the body, public rate limits (see above)."""

    def __init__(self, app: ASGIApp, rate_limits: RateLimits) -> None:
        self.app = app
        self.rate_limits = rate_limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        try:
            await self._admit(scope)
        except (HTTPException, NotAuthenticated) as refused:
            await self._refuse(scope, receive, send, refused)
            return
        await self.app(scope, receive, send)

    async def _admit(self, scope: Scope) -> None:
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):
            raise HTTPException(400, "a NUL byte (%00) is not allowed in the path or query string")
        token = credentials_of(scope)
        route = write_route(scope) if scope["method"] in UNSAFE_METHODS else None
        if route is not None:
            declared = Headers(scope=scope).get("content-length", "")
            if declared.isdigit() and int(declared) > route.limit:
                raise HTTPException(
                    413, f"the request body is larger than this endpoint takes ({route.limit} bytes)"
                )
            if not route.public:
                await self._authenticate(scope, token)
        if token is None:
            wait = self.rate_limits.retry_after("public", client_of(scope), self.rate_limits.public)
            if wait is not None:
                raise HTTPException(
                    429,
                    f"too many requests from this client without signing in: try again in {wait} s",
                    headers={"Retry-After": str(wait)},
                )

    async def _authenticate(self, scope: Scope, token: str | None) -> None:
        if token is None:
            raise NotAuthenticated(
                "this needs a signed-in principal: send 'Authorization: Bearer <token>'",
                [Problem("authorization", "required for this request")],
            )
        state = scope["app"].state
        if _is_api(scope) or Headers(scope=scope).get("authorization") is not None:
            # An unknown, expired or revoked token raises NotAuthenticated; who a known one belongs
            # to is remembered, so the endpoint's own look-up that follows costs one query.
            system = state.system
            await run_in_threadpool(state.principals.actor, system.session_factory, token, system.clock.now())
            return
        # Pages: the sign-in session the cookie names must be live (services/accounts/sessions.py).
        if await run_in_threadpool(resolve, state.system, token) is None:
            raise NotAuthenticated(
                "the sign-in session has ended: sign in again", [Problem("session", "no live session")]
            )

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, refused: HTTPException | NotAuthenticated
    ) -> None:
        request = Request(scope, receive)
        if isinstance(refused, NotAuthenticated):
            response = errors.render(request, 401, refused.title, str(refused), list(refused.problems))
        else:
            response = await errors.on_http_error(request, refused)
        await response(scope, receive, send)
