"""The web application: the REST API under /api, pages at /, both over the same services."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exportguard import __version__
from exportguard.jobs.tasks import Schedule
from exportguard.jobs.worker import in_process_lifespan
from exportguard.services.accounts.principal_cache import PrincipalCache
from exportguard.services.system import ExportGuard
from exportguard.settings import Settings
from exportguard.web import errors, operations
from exportguard.web.api import api_router
from exportguard.web.auth import SignInStepRequired
from exportguard.web.locale import LocaleMiddleware
from exportguard.web.pages import page_router, templates
from exportguard.web.rate_limits import PUBLIC_RATE, RateLimits
from exportguard.web.request_limits import DEFAULT_BODY_LIMIT, RequestLimits
from exportguard.web.throttle import FailureThrottle

WEB_DIR = Path(__file__).resolve().parent
# Set by ``exportguard serve`` for its workers: run the jobs inside each (SQLite has no job queue).
IN_PROCESS_JOBS = "EXPORTGUARD_IN_PROCESS_JOBS"


def create_app(
    system: ExportGuard, *, public_rate: str = PUBLIC_RATE, lifespan: Callable[[Any], Any] | None = None
) -> FastAPI:
    """Build the app around a running system (nothing is created at import time).

    ``public_rate`` is each client's allowance of requests without signing in (e.g. "300/minute");
    ``lifespan`` runs beside the app while it serves (the in-process jobs on SQLite).
    """
    app = FastAPI(
        lifespan=lifespan,
        title="ExportGuard",
        version=__version__,
        summary="Export permits for military and dual-use goods: applications, decisions, permits, audit",
        # /docs is served by pages/docs.py from this document: Swagger UI would need a public CDN.
        docs_url=None,
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    app.state.system = system
    app.state.principals = PrincipalCache()
    app.state.throttle = FailureThrottle()
    app.state.templates = templates(WEB_DIR / "templates")
    app.state.rate_limits = RateLimits(public_rate)
    errors.install(app)
    app.add_exception_handler(SignInStepRequired, _finish_signing_in)
    operations.install(app)  # /health, /ready, 503 while the database is away
    # Issue 11: no body is read past its endpoint's limit (routes that take files say more). Set on
    # the routers, inside RequestLimits, whose own refusals must not be rewritten as plain text.
    app.include_router(api_router(), prefix=errors.API_PREFIX, max_body_size=DEFAULT_BODY_LIMIT)
    app.include_router(page_router(), max_body_size=DEFAULT_BODY_LIMIT)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.add_middleware(LocaleMiddleware)
    # Added first, so it runs inside SecurityHeaders: its refusals carry the headers too.
    app.add_middleware(RequestLimits, rate_limits=app.state.rate_limits)
    app.add_middleware(SecurityHeaders)
    # Outermost: every response, a refusal by the limits too, carries its id and gets its log line.
    app.add_middleware(operations.RequestIds)
    return app


def app_from_env() -> FastAPI:
    """The factory each ``exportguard serve`` worker calls (uvicorn ``--factory``): its own engine
    on EXPORTGUARD_DATABASE_URL. The serving command has already migrated the database once."""
    system = ExportGuard.from_url(Settings.from_env().database_url, migrate=False)
    if os.environ.get(IN_PROCESS_JOBS) != "1":
        return create_app(system)
    return create_app(system, lifespan=in_process_lifespan(system, Schedule.from_env()))


# Pages load nothing from elsewhere and run no script: the browser is told so, which also stops
# framing (clickjacking) and sniffing of API responses as HTML. No device features are used.
# Answers are never stored by a browser or proxy (ASVS 8.2.1): pages and API answers carry records
# that only their reader may see, and a shared computer's back button must not show them.
SECURITY_HEADERS = {
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
        "payment=(), usb=(), interest-cohort=()"
    ),
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP response's head.

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` runs each request in an extra task
    and streams the body through a queue, which cost the border's check a noticeable share of its time.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        https = scope.get("scheme") == "https"
        static = scope.get("path", "").startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if not static and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
                if https:  # RFC 6797: only over HTTPS; a year, subdomains too
                    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
                if "server" in headers:
                    del headers["server"]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _finish_signing_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInStepRequired)
    return RedirectResponse(exc.location, status_code=303)
