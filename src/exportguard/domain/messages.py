"""What the domain says, as codes with parameters: the edges (web, API, CLI) choose the language.

The domain stays pure (it never imports ``exportguard.i18n``). A message is declared once, with a
stable code and its English template; ``N_`` is gettext's no-op marker, so ``./run i18n`` extracts
the template into the catalogue and the edge translates it (``web/texts.py``) in the reader's
language. A raised error still carries the English text (logs, the CLI, ``str(error)``), built
from the same template.

Parameters are named (``%(permit)s``) so a translator may move them, and kept as values: an enum
or a ``Code`` is shown through its label, a Decimal as an amount of the reader's language, and a
``Said`` (``the permit EXP-1``) is said in the same language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

MESSAGES: dict[str, Message] = {}


def N_(template: str) -> str:  # noqa: N802 (gettext's conventional name, which the extractor knows)
    """Marks an English template for extraction without translating it here."""
    return template


class Code(str):
    """A parameter that is one of the domain's codes (a state, a command): shown through its label."""

    __slots__ = ()


@dataclass(frozen=True)
class Message:
    """A kind of thing the domain says: a stable code and its English template."""

    code: str
    template: str

    def __call__(self, **params: object) -> Said:
        return Said(self.code, self.template, tuple(sorted(params.items())))


@dataclass(frozen=True)
class Said:
    """One message said, with the values of its parameters."""

    code: str
    template: str
    params: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        """The English words (logs, the CLI): a code reads as words (``record_shipment``: record shipment)."""
        if not self.params:
            return self.template
        return self.template % {name: _english(value) for name, value in self.params}


def _english(value: object) -> object:
    if isinstance(value, Enum | Code):
        return str(value.value if isinstance(value, Enum) else value).replace("_", " ")
    return value


def message(code: str, template: str) -> Message:
    """Declares a message; each code once, with one template."""
    known = MESSAGES.get(code)
    if known is not None and known.template != template:
        raise ValueError(f"message code {code!r} declared twice with different words")
    MESSAGES[code] = Message(code, template)
    return MESSAGES[code]
