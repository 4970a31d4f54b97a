"""The domain's messages (codes with parameters) in French: every code has its translation, with the
same placeholders, and renders in French; the converted rules build no English text by hand."""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import exportguard.domain
from exportguard import i18n
from exportguard.domain.access import Action, Actor, Role, require
from exportguard.domain.authorisation import ENDED_ON, VALUE_ABOVE_REMAINING
from exportguard.domain.errors import DomainError, IllegalTransition, NotPermitted, Problem
from exportguard.domain.messages import MESSAGES, Code, Message, Said, message
from exportguard.domain.permits import PERMIT_NUMBER
from exportguard.web.texts import detail, problem_text, say

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

for module in pkgutil.walk_packages(exportguard.domain.__path__, "exportguard.domain."):
    importlib.import_module(module.name)  # every module's messages are declared at import

CODES = sorted(MESSAGES)


def french_catalogue() -> dict[str, str]:
    with i18n.catalogue_path("fr").open("rb") as po:
        return {m.id: m.string for m in read_po(po, locale="fr") if isinstance(m.id, str) and not m.fuzzy}


FRENCH = french_catalogue()


def sample(template: str) -> Said:
    return Said("sample", template, tuple((name, f"<{name}>") for name in PLACEHOLDER.findall(template)))


def test_the_domain_declares_the_messages_of_its_refusals() -> None:
    prefixes = {code.split(".")[0] for code in CODES}
    assert {"border", "epr3", "access", "state"} <= prefixes
    assert len(CODES) >= 60


@pytest.mark.parametrize("code", CODES)
def test_each_code_renders_in_french(code: str) -> None:
    template = MESSAGES[code].template
    assert FRENCH.get(template), f"{code}: no French for {template!r} (run ./run i18n, then translate)"
    assert sorted(PLACEHOLDER.findall(FRENCH[template])) == sorted(PLACEHOLDER.findall(template)), code
    said = sample(template)
    with i18n.using("fr"):
        words = say(said)
    assert words == FRENCH[template] % dict(said.params)
    assert "%(" not in words
    with i18n.using("en"):
        assert say(said) == str(said)  # English at the edge is the domain's own words


def test_a_code_without_french_fails_the_check() -> None:
    made_up = message("test.untranslated", "a sentence nobody translated")
    assert made_up.template not in FRENCH
    with i18n.using("fr"):
        assert say(made_up()) == "a sentence nobody translated"  # gettext falls back to English
    del MESSAGES[made_up.code]


def test_a_code_is_declared_once() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        message("border.no_permit", "other words")


def test_a_border_refusal_in_french_dates_and_labels_its_parameters() -> None:
    suspended = ENDED_ON(state=Code("suspended"), day=date(2020, 10, 5))
    assert str(suspended) == "suspended on 2020-10-05"
    with i18n.using("fr"):
        assert say(suspended) == "suspendue le 2020-10-05"
        value = VALUE_ABOVE_REMAINING(
            value=Decimal("1500000.00"), currency="CAD", remaining=Decimal("250000.00"), line=1
        )
        assert (
            say(value)
            == "la valeur 1\u202f500\u202f000,00 CAD dépasse les 250\u202f000,00 qui restent sur la ligne 1"
        )


def test_errors_and_their_problems_are_said_in_french() -> None:
    error = IllegalTransition(PERMIT_NUMBER(number="EXP-1"), "cancelled", "reinstate")
    assert str(error).startswith("cannot reinstate permit EXP-1: it is cancelled")
    with i18n.using("fr"):
        assert detail(error).startswith("impossible de ")
        assert "la licence EXP-1" in detail(error) and "annulée" in detail(error)
        assert problem_text(error.problems[0]) != error.problems[0].message
    with pytest.raises(NotPermitted) as refused:
        require(Actor(principal="x", role=Role.ADVISOR), Action.RECORD_SHIPMENT)
    assert str(refused.value) == "role 'advisor' may not record shipment"
    with i18n.using("fr"):
        assert detail(refused.value).startswith("le rôle « ")


def test_words_not_yet_codes_keep_their_english() -> None:
    plain = DomainError("plain words", [Problem("field", "left as it is")])
    with i18n.using("fr"):
        assert detail(plain) == "plain words: field: left as it is"


CONVERTED = ("authorisation.py", "applications.py", "access.py", "errors.py")


@pytest.mark.parametrize("name", CONVERTED)
def test_converted_rules_build_no_english_by_hand(name: str) -> None:
    """In these modules every refusal is a code: no Problem or Reason built from a literal string."""
    source = (ROOT / "src" / "exportguard" / "domain" / name).read_text()
    by_hand = re.findall(
        r"\b(?:Problem|Reason|NotPermitted|ApplicationIncomplete)\(\s*f?\"[^\"]*\",\s*f?\"", source
    )
    assert not by_hand, by_hand


def test_message_is_a_value() -> None:
    assert Message("a", "b")() == Said("a", "b")
