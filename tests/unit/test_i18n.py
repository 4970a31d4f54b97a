"""English and French: every word a person reads is in the catalogue, translated, with the same
placeholders; no template carries a word outside gettext; every domain code has its label."""

from __future__ import annotations

import re
from enum import StrEnum
from html.parser import HTMLParser
from pathlib import Path
from typing import get_args

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from exportguard import i18n
from exportguard.domain import (
    access,
    accounts,
    applications,
    assessment,
    assurances,
    bulk_actions,
    evidence,
    investigations,
    permits,
    policy,
)
from exportguard.domain.errors import DomainError
from exportguard.services.permits.queries import Status
from exportguard.web import app as web_app
from exportguard.web.error_titles import TITLES
from exportguard.web.labels import LABELS, label
from exportguard.web.pages.rendering import field_name

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "exportguard" / "web" / "templates"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def extracted() -> dict[str | tuple[str, ...], str]:
    """Every msgid the extractor finds with babel.cfg (what ``./run i18n`` would add), and where."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str | tuple[str, ...], str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(m for m in message if m)
        found.setdefault(key, f"{filename}:{lineno}")
    return found


def french() -> Catalog:
    with i18n.catalogue_path("fr").open("rb") as po:
        return read_po(po, locale="fr")


def test_every_message_has_its_french_translation() -> None:
    catalogue = french()
    missing = []
    for msgid, where in extracted().items():
        lookup = msgid if isinstance(msgid, str) else msgid[0]
        message = catalogue.get(lookup)
        strings = () if message is None else message.string
        strings = (strings,) if isinstance(strings, str) else strings
        if message is None or message.fuzzy or not strings or not all(strings):
            missing.append(f"{where}: {msgid!r}")
    assert not missing, "untranslated (run ./run i18n, then translate):\n" + "\n".join(missing)


def test_translations_keep_the_placeholders() -> None:
    problems = [f"{m.id!r}: {errors}" for m, errors in french().check()]
    assert not problems, "\n".join(problems)


def test_french_has_two_plural_forms() -> None:
    # CLDR gives French a third ("many") form that gettext tools and translators do not expect.
    assert french().num_plurals == 2


# A Jinja expression's string literal that is a code, not a word (compared with problem fields).
CODE_LITERALS = {"goods line "}
ALLOWED_WORDS = {"ExportGuard", "API"}
CHECKED_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_data(self, data: str) -> None:
        # A macro that writes attributes (macros.html) leaves them as text: they are not words.
        self.found.append(re.sub(r'[\w-]+="[^"]*"', "", data))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend(v or "" for k, v in attrs if k in CHECKED_ATTRIBUTES)


def untranslated(source: str) -> list[str]:
    """Words in a template that do not go through gettext: text and labelling attributes outside
    ``{% trans %}`` and ``_()``, and string literals in expressions that read as words."""
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    source = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", "", source, flags=re.S)
    found = []
    for expression in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", source, flags=re.S):
        block = re.sub(r"""\b(?:_|gettext|ngettext)\(\s*(?:(['"]).*?\1\s*,?\s*)+""", "", expression)
        for _quote, literal in re.findall(r"""(['"])(.*?)\1""", block):
            wordy = re.search(r"[A-Za-z]{2,}\s+[A-Za-z]", literal) or re.match(r"[A-Z][a-z]", literal)
            if wordy and literal not in CODE_LITERALS:
                found.append(literal)
    parser = _Text()
    parser.feed(re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", source, flags=re.S))
    for text in parser.found:
        words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if w not in ALLOWED_WORDS]
        if words:
            found.append(text.strip())
    return found


AWAITING_TRANSLATION: set[str] = set()


@pytest.mark.parametrize(
    "template",
    [
        pytest.param(
            p.name,
            marks=pytest.mark.xfail(p.name in AWAITING_TRANSLATION, reason="not yet translated", strict=True),
        )
        for p in sorted(TEMPLATES.glob("*.html"))
    ],
)
def test_no_template_carries_an_untranslated_word(template: str) -> None:
    assert untranslated((TEMPLATES / template).read_text(encoding="utf-8")) == []


def test_the_check_finds_untranslated_words() -> None:
    assert untranslated("<p>Hello</p>") == ["Hello"]
    assert untranslated('<input aria-label="Quantity">') == ["Quantity"]
    assert untranslated("{{ x or 'not given' }}") == ["not given"]
    assert untranslated("<p>{{ _('Hello') }} {% trans n=1 %}Line {{ n }}{% endtrans %} v{{ v }}</p>") == []
    assert untranslated("{{ ngettext('%(num)d permit', '%(num)d permits', n) }} ExportGuard") == []


INVESTIGATION_CODES: list[type[StrEnum]] = [
    investigations.SourceKind,
    investigations.ConcernKind,
    investigations.AllegationState,
    investigations.InvestigationState,
    investigations.InvestigationCommand,
    investigations.Finding,
    investigations.Outcome,
    investigations.ConsultationKind,
    investigations.ConsultationState,
    investigations.ConsultationCommand,
    investigations.ActionKind,
    investigations.ActionState,
    investigations.ActionCommand,
    assurances.AssuranceForm,
    assurances.AssuranceState,
    assurances.CheckState,
    assurances.CheckCommand,
    assurances.CheckResult,
    assurances.FlagSubject,
    evidence.EvidenceKind,
    evidence.CustodyAction,
]
DOMAIN_CODES: list[type[StrEnum]] = [
    applications.ApplicationState,
    applications.ApplicationCommand,
    applications.PartyRole,
    applications.DocumentKind,
    assessment.Consideration,
    assessment.Risk,
    assessment.Advice,
    assessment.Recommendation,
    assessment.DenialReason,
    permits.PermitState,
    permits.PermitCommand,
    bulk_actions.BulkCommand,
    policy.MeasureKind,
    policy.Outcome,
    access.Role,
    *INVESTIGATION_CODES,
    accounts.OrganisationKind,
    accounts.Status,
    accounts.StatusCommand,
]


def test_every_domain_code_has_a_label() -> None:
    codes = {c.value for enum in DOMAIN_CODES for c in enum} | set(get_args(Status))
    codes |= set(investigations.KIND_ORDER)  # the kinds of an investigation's timeline entries
    assert sorted(codes - LABELS.keys()) == []


def test_labels_follow_the_current_language() -> None:
    assert label("not_yet_valid") == "not yet valid"
    with i18n.using("fr"):
        assert label("suspended") == "suspendue"
        assert label("end_user") == "utilisateur final"
        assert label("some_new_code") == "some new code"
    assert label(None) == ""


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE, fr;q=0.5", "fr"),
        ("fr;q=0, en", "en"),
        ("de", "en"),
        ("", "en"),
        (None, "en"),
        ("fr;q=banana", "en"),
    ],
)
def test_accept_language_is_negotiated(header: str | None, expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_gettext_formats_named_placeholders_in_the_current_language() -> None:
    assert i18n.gettext("Permit %(number)s", number="EXP-1") == "Permit EXP-1"
    with i18n.using("fr"):
        assert i18n.gettext("Permit %(number)s", number="EXP-1") == "Licence EXP-1"
        assert i18n.ngettext("%(num)d permit", "%(num)d permits", 1) == "1 licence"
        assert i18n.ngettext("%(num)d permit", "%(num)d permits", 2) == "2 licences"
        assert i18n.format_number(1500000, 2) == "1\u202f500\u202f000,00"
    assert i18n.current_locale() == "en"
    assert i18n.format_number(1500000, 2) == "1,500,000.00"


def _subclasses(cls: type) -> set[type]:
    return {s for c in cls.__subclasses__() for s in {c, *_subclasses(c)}}


def test_every_error_title_has_its_page_words() -> None:
    assert web_app.create_app  # imported: every service module is loaded, so every error type exists
    titles = {e.title for e in _subclasses(DomainError) | {DomainError}}
    assert sorted(titles - TITLES.keys()) == []


def test_the_error_summary_names_fields_in_words() -> None:
    assert field_name("lines.0.quantity") == "line 1 quantity"
    with i18n.using("fr"):
        assert field_name("lines.0.quantity") == "ligne 1 quantité"
        assert field_name("findings.2.residual_risk") == "critère 3 risque après atténuation"
