"""The reader's language: ``?lang=`` (remembered in a cookie), else the cookie, else the browser's
``Accept-Language``, else English. Every page offers a switch to the other language."""

from __future__ import annotations

from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exportguard import i18n

LANG_COOKIE = "eg_lang"
LANG_PARAM = "lang"
# A year: the choice of language is a preference, not a credential.
LANG_COOKIE_SECONDS = 365 * 24 * 3600


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def choose(scope: Scope) -> tuple[str, bool]:
    """The language of this request, and whether it was chosen now (``?lang=``) to be remembered."""
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(LANG_PARAM, [""])[-1]
    if chosen := i18n.supported(asked):
        return chosen, True
    headers = _headers(scope)
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except ValueError:  # http.cookies.CookieError: an unreadable cookie header is no choice
        cookie = SimpleCookie()
    if LANG_COOKIE in cookie and (remembered := i18n.supported(cookie[LANG_COOKIE].value)):
        return remembered, False
    return i18n.negotiate(headers.get("accept-language")), False


class LocaleMiddleware:
    """Sets the current language for the whole request (Python's ``_()`` and the templates),
    remembers a ``?lang=`` choice, and tells caches that pages vary by language."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        locale, remember = choose(scope)
        scope.setdefault("state", {})["locale"] = locale

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("Vary", "Accept-Language, Cookie")
                headers.setdefault("Content-Language", locale)
                if remember:
                    headers.append(
                        "Set-Cookie",
                        f"{LANG_COOKIE}={locale}; Max-Age={LANG_COOKIE_SECONDS}; Path=/; SameSite=Lax",
                    )
            await send(message)

        with i18n.using(locale):
            await self.app(scope, receive, send_with_language)


def request_locale(request: Request) -> str:
    locale: str = getattr(request.state, "locale", None) or choose(request.scope)[0]
    return locale


@dataclass(frozen=True)
class Switch:
    code: str
    name: str
    href: str


def language_switch(request: Request) -> Switch:
    """A link to this page in the other language. A page answering a form (POST) links to its
    section's start, which a GET can open."""
    other = next(code for code in i18n.LOCALES if code != i18n.current_locale())
    if request.method == "GET":
        query = [(k, v) for k, v in request.query_params.multi_items() if k != LANG_PARAM]
        path = request.url.path
    else:
        query = []
        path = "/" + request.url.path.strip("/").split("/")[0]
    href = path + "?" + urlencode([*query, (LANG_PARAM, other)])
    return Switch(other, i18n.LANGUAGE_NAMES[other], href)
