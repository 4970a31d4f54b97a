"""Signing in (password, then an authenticator code for officials) and out; a new account's first
steps (replace the one-time password; officials enrol an authenticator and get recovery codes).

The session lives on the server (services/accounts/sessions.py); the cookie holds only its random
id: HttpOnly, SameSite=Lax, Secure over HTTPS, replaced at every sign-in (ASVS 3.2.1, 3.4).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from exportguard.domain.accounts import DEFAULT_POLICY
from exportguard.domain.errors import InvalidInput
from exportguard.i18n import _
from exportguard.services.accounts import credentials
from exportguard.services.accounts.sessions import change_password, enrol_second_factor
from exportguard.services.accounts.sign_in import Outcome, SignIn, second_factor, sign_in, sign_out
from exportguard.web.auth import ANONYMOUS, SESSION_COOKIE, STEP_PAGES, System, live_session
from exportguard.web.pages.rendering import page
from exportguard.web.request_limits import KIB, PUBLIC
from exportguard.web.throttle import client_of, throttle_of

router = APIRouter()


def _local(path: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/permits"


def _refused() -> str:
    return _("The username or password is wrong. Check both and try again.")


def _locked(until: datetime | None) -> str:
    when = until.strftime("%H:%M UTC") if until else "?"
    return _("Too many failed sign-ins: this account is locked until %(when)s. Try again then.", when=when)


def _with_session(request: Request, target: str, session_id: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(DEFAULT_POLICY.absolute.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


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
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form()] = "/permits",  # noqa: A002 - mirrors the query parameter
) -> Response:
    client = client_of(request)
    throttle_of(request).check(client)
    result = SignIn(Outcome.REFUSED)
    if username.strip() and password:
        result = sign_in(system, username, password, replaces=request.cookies.get(SESSION_COOKIE))
    if result.outcome in (Outcome.REFUSED, Outcome.LOCKED) or result.session_id is None:
        throttle_of(request).failed(client)
        error = _locked(result.locked_until) if result.outcome is Outcome.LOCKED else _refused()
        return page(
            request,
            "login.html",
            ANONYMOUS,
            status_code=401,
            next=_local(next),
            username=username,
            error=error,
        )
    target = _local(next) if result.outcome is Outcome.SIGNED_IN else f"/login/code?next={_local(next)}"
    return _with_session(request, target, result.session_id)


@router.get("/login/code")
def code_form(request: Request, next: str | None = None) -> Response:  # noqa: A002
    session = live_session(request)
    if session is None or session.pending != "second_factor":
        return RedirectResponse("/login", status_code=303)
    return page(request, "login_code.html", ANONYMOUS, next=_local(next), error=None)


@router.post("/login/code", max_body_size=KIB, openapi_extra=PUBLIC)
def code(
    request: Request,
    system: System,
    code: Annotated[str, Form(max_length=32)] = "",
    next: Annotated[str, Form()] = "/permits",  # noqa: A002
) -> Response:
    client = client_of(request)
    throttle_of(request).check(client)
    session_id = request.cookies.get(SESSION_COOKIE) or ""
    result = second_factor(system, session_id, code)
    if result.outcome is Outcome.SIGNED_IN and result.session_id:
        return _with_session(request, _local(next), result.session_id)
    throttle_of(request).failed(client)
    if result.outcome is Outcome.LOCKED:
        return page(
            request,
            "login.html",
            ANONYMOUS,
            status_code=401,
            next=_local(next),
            username="",
            error=_locked(result.locked_until),
        )
    if live_session(request) is None:
        return RedirectResponse("/login", status_code=303)
    return page(
        request,
        "login_code.html",
        ANONYMOUS,
        status_code=401,
        next=_local(next),
        error=_("That code is wrong or was already used. Enter the current code from your authenticator."),
    )


@router.post("/logout", max_body_size=KIB, openapi_extra=PUBLIC)
async def logout(request: Request, system: System) -> Response:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        await run_in_threadpool(sign_out, system, session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _signed_in_step(request: Request, step: str) -> Response | None:
    """None when the session is at ``step``; else where to go instead."""
    session = live_session(request)
    if session is None or session.pending == "second_factor":
        return RedirectResponse("/login", status_code=303)
    if session.pending != step:
        return RedirectResponse(STEP_PAGES.get(session.pending or "", "/permits"), status_code=303)
    return None


@router.get("/account/password")
def password_form(request: Request) -> Response:
    session = live_session(request)
    if session is None or session.pending == "second_factor":
        return RedirectResponse("/login", status_code=303)
    return page(request, "account_password.html", ANONYMOUS, error=None, done=False)


@router.post("/account/password", max_body_size=16 * KIB)
def password_change(
    request: Request,
    system: System,
    current_password: Annotated[str, Form(max_length=256)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    confirm: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    session = live_session(request)
    if session is None or session.pending == "second_factor":
        return RedirectResponse("/login", status_code=303)
    try:
        if password != confirm:
            raise InvalidInput.of("confirm", _("the two new passwords differ"))
        change_password(system, request.cookies.get(SESSION_COOKIE) or "", current_password, password)
    except InvalidInput as exc:
        return page(request, "account_password.html", ANONYMOUS, status_code=422, error=str(exc), done=False)
    return RedirectResponse("/account/second-factor" if session.must_enrol_second_factor else "/permits", 303)


@router.get("/account/second-factor")
def enrol_form(request: Request) -> Response:
    elsewhere = _signed_in_step(request, "enrol")
    if elsewhere is not None:
        return elsewhere
    session = live_session(request)
    assert session is not None
    secret = credentials.new_totp_secret()
    uri = credentials.provisioning_uri(secret, session.actor.principal)
    return page(
        request, "account_second_factor.html", ANONYMOUS, secret=secret, uri=uri, error=None, codes=None
    )


@router.post("/account/second-factor", max_body_size=KIB)
def enrol(
    request: Request,
    system: System,
    secret: Annotated[str, Form(pattern=r"^[A-Z2-7]{16,64}$")],
    code: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    elsewhere = _signed_in_step(request, "enrol")
    if elsewhere is not None:
        return elsewhere
    session = live_session(request)
    assert session is not None
    try:
        codes = enrol_second_factor(system, request.cookies.get(SESSION_COOKIE) or "", secret, code)
    except InvalidInput as exc:
        uri = credentials.provisioning_uri(secret, session.actor.principal)
        return page(
            request,
            "account_second_factor.html",
            ANONYMOUS,
            status_code=422,
            secret=secret,
            uri=uri,
            error=str(exc),
            codes=None,
        )
    return page(
        request, "account_second_factor.html", session.actor, secret=None, uri=None, error=None, codes=codes
    )
