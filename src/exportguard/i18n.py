"""English and French: gettext catalogues managed with Babel, one current language per request.

Every word a person reads goes through ``_()`` (or ``ngettext``, or a lazy variant where the text is
defined before anyone asks for it, e.g. a module-level table). English is the source language:
the msgids are the English text, and ``locale/fr/LC_MESSAGES/messages.po`` holds the French. The
.po file is read once, at first use, and compiled in memory, so a fresh clone needs no build step.

Placeholders are named, ``_("Permit %(number)s", number=n)``, as in Jinja's i18n extension, so a
translator may move them. The domain never imports this module: its errors keep their codes and
fields, and the edges (web, CLI) choose the words. ``./run i18n`` extracts new strings and merges
them into the catalogue (see README, "Adding words in English and French").
"""

from __future__ import annotations

import functools
import gettext as stdlib_gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from pathlib import Path

from babel.core import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from markupsafe import Markup, escape

LOCALES = ("en", "fr")
DEFAULT_LOCALE = "en"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("exportguard_locale", default=DEFAULT_LOCALE)


def catalogue_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(locale: str) -> stdlib_gettext.NullTranslations:
    """The compiled catalogue of ``locale`` (English: the msgids themselves). Fuzzy entries are left
    out: a guess never reaches a reader."""
    if locale == DEFAULT_LOCALE or locale not in LOCALES:
        return stdlib_gettext.NullTranslations()
    with catalogue_path(locale).open("rb") as po:
        catalogue = read_po(po, locale=locale, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return stdlib_gettext.GNUTranslations(compiled)


def supported(locale: str | None) -> str | None:
    """``fr``, ``fr-CA``, ``FR_ca`` -> ``fr``; anything else -> None."""
    if not locale:
        return None
    language = locale.strip().replace("_", "-").split("-")[0].lower()
    return language if language in LOCALES else None


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an ``Accept-Language`` header (RFC 9110 s.12.5.4)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    preferred = [tag.replace("-", "_") for _q, _p, tag in sorted(ranked)]
    found = negotiate_locale(preferred, list(LOCALES), sep="_")
    return supported(found) or DEFAULT_LOCALE


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> None:
    """Make ``locale`` the current language of this request (or command)."""
    _current.set(supported(locale) or DEFAULT_LOCALE)


@contextmanager
def using(locale: str) -> Iterator[None]:
    token = _current.set(supported(locale) or DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, **params: object) -> str:
    text = translations(_current.get()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    """``n`` is also available to the text as ``%(num)d``, as in Jinja's ``{% trans %}``."""
    text = translations(_current.get()).ngettext(singular, plural, n)
    return text % {"num": n, **params}


_ = gettext


class LazyText:
    """Text translated when it is read, not when it is defined (module-level tables, labels)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def __html__(self) -> Markup:
        return escape(str(self))

    def __repr__(self) -> str:
        return f"LazyText({self.message!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.message)

    def __add__(self, other: object) -> str:
        return str(self) + str(other)

    def __radd__(self, other: object) -> str:
        return str(other) + str(self)


def lazy_gettext(message: str) -> LazyText:
    return LazyText(message)


def format_number(value: object, digits: int = 2) -> str:
    """Thousands and decimals the current language's way: 1,500,000.00 or 1 500 000,00."""
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=Locale.parse(_current.get()))  # type: ignore[arg-type]
