"""The domain's messages (codes with parameters, domain/messages.py) in the reader's language.

The domain says what is wrong as a code with its parameters; here, at the edge, the English
template is looked up in the catalogue of the current language (exportguard.i18n) and filled in.
A problem or error without a code (words not yet made codes) keeps its English text.
tests/unit/test_domain_messages.py fails when a code lacks its French.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Protocol

from exportguard import i18n
from exportguard.domain.errors import DomainError, Problem
from exportguard.domain.messages import Code, Said
from exportguard.services.border.authorisations import CheckAnswer
from exportguard.web.labels import label


def _value(value: object) -> object:
    if isinstance(value, Said):
        return say(value)
    if isinstance(value, Enum):
        return label(str(value.value))
    if isinstance(value, Code):
        return label(str(value))
    if isinstance(value, Decimal):
        return i18n.format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def say(said: Said) -> str:
    """``said`` in the current language."""
    params = {name: _value(value) for name, value in said.params}
    return i18n.gettext(said.template, **params)


class Spoken(Protocol):
    """A problem, or a border's reason: English words, and maybe the same as a code."""

    @property
    def message(self) -> str: ...

    @property
    def said(self) -> Said | None: ...


def problem_text(problem: Spoken) -> str:
    return say(problem.said) if problem.said is not None else problem.message


def localised(problem: Problem) -> Problem:
    """The same problem with its message in the current language."""
    if problem.said is None:
        return problem
    return Problem(problem.field, say(problem.said), problem.said)


def localised_answer(answer: CheckAnswer) -> CheckAnswer:
    """The border's answer with each reason in the current language (English: as it is)."""
    if i18n.current_locale() == i18n.DEFAULT_LOCALE or not answer.reasons:
        return answer
    reasons = [r.model_copy(update={"message": problem_text(r)}) for r in answer.reasons]
    return answer.model_copy(update={"reasons": reasons})


def detail(error: DomainError) -> str:
    """What ``str(error)`` says, in the current language."""
    head = say(error.said) if error.said is not None else error.message
    if not error.problems:
        return head
    parts = (f"{p.field}: {problem_text(p)}" if p.field else problem_text(p) for p in error.problems)
    return head + ": " + "; ".join(parts)
