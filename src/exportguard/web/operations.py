"""What a load balancer and an operator need: health and readiness, request ids, 503 while the
database is away.

- ``GET /health``: the process answers (liveness); never touches the database.
- ``GET /ready``: the database answers too (readiness); 503 with ``Retry-After`` otherwise, so the
  balancer sends traffic to the other workers until this one's database comes back.
- Any request that finds the database unreachable is answered 503 with ``Retry-After`` (problem+json
  under /api, the error page elsewhere), never 500; the engine's pool checks each connection before
  use (``pool_pre_ping``), so requests succeed again as soon as the database does, without a restart.
- Every request gets an id (the client's ``X-Request-ID`` when it is a sane token, else a new one),
  sent back in ``X-Request-ID`` and written on each log line the request causes.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exportguard import __version__, i18n
from exportguard.db.session import DATABASE_UNAVAILABLE
from exportguard.logs import REQUEST_ID
from exportguard.services.system import ExportGuard
from exportguard.web import errors

RETRY_AFTER_SECONDS = 5
UNAVAILABLE = "the database cannot be reached just now; nothing was changed; try again in %(seconds)s seconds"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
access_log = logging.getLogger("exportguard.access")
log = logging.getLogger(__name__)


def database_answers(system: ExportGuard) -> bool:
    try:
        with system.read() as session:
            session.execute(text("SELECT 1"))
    except DATABASE_UNAVAILABLE as exc:
        log.warning("database unreachable: %s", " ".join(str(exc).split())[:200])
        return False
    return True


def router() -> APIRouter:
    r = APIRouter(tags=["operations"])

    @r.get("/health", summary="Liveness: the process answers (the database is not asked)")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @r.get(
        "/ready",
        summary="Readiness: the database answers too (503 with Retry-After otherwise)",
        responses={503: {"description": "The database is unreachable"}},
    )
    async def ready(request: Request) -> Response:
        system: ExportGuard = request.app.state.system
        if await run_in_threadpool(database_answers, system):
            return JSONResponse({"status": "ready", "database": "ok"})
        return JSONResponse(
            {"status": "unavailable", "database": "unreachable"},
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    return r


async def on_database_unavailable(request: Request, exc: Exception) -> Response:
    log.warning(
        "database unreachable on %s %s: %s",
        request.method,
        request.url.path,
        " ".join(str(exc).split())[:200],
    )
    # The API keeps English words (clients may match them); a page speaks the reader's language.
    detail = (
        UNAVAILABLE % {"seconds": RETRY_AFTER_SECONDS}
        if errors.is_api(request)
        else i18n.gettext(UNAVAILABLE, seconds=RETRY_AFTER_SECONDS)
    )
    response = errors.render(request, 503, "Database unavailable", detail, [])
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def install(app: FastAPI) -> None:
    for kind in DATABASE_UNAVAILABLE:
        app.add_exception_handler(kind, on_database_unavailable)
    app.include_router(router())


class RequestIds:
    """Gives each HTTP request an id (``X-Request-ID``) and writes one access line when it ends.

    A plain ASGI middleware (see SecurityHeaders in app.py for why not ``BaseHTTPMiddleware``).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"").decode("latin-1")
        request_id = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "request_id": request_id,  # also when the line is formatted after the request
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            REQUEST_ID.reset(token)
