"""A name taken apart for matching: its parts, each with a skeleton and a weight, and its legal form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from exportguard.domain.screening.entries import Schema
from exportguard.domain.screening.transliteration import ascii_words, skeleton
from exportguard.domain.screening.vocabulary import (
    GENERIC_ORGANISATION_WORDS,
    HONORIFICS,
    LEGAL_FORM_MAX_WORDS,
    LEGAL_FORMS,
    NUMBER_WORDS,
    PARTICLES,
)


class PartKind(StrEnum):
    WORD = "word"
    INITIAL = "initial"
    PARTICLE = "particle"
    GENERIC = "generic"
    NUMBER = "number"


# How much each kind of part counts as evidence, for or against. An initial is a fraction of a
# name; a particle (al-, van, bin) or a trade word (Bank, Trading) identifies almost nothing.
PART_WEIGHTS: dict[PartKind, float] = {
    PartKind.WORD: 1.0,
    PartKind.INITIAL: 0.5,
    PartKind.PARTICLE: 0.25,
    PartKind.GENERIC: 0.5,
    # Series numbers (Fund IV / Fund V, Victory 3) separate related parties, not unrelated ones.
    PartKind.NUMBER: 0.25,
}


@dataclass(frozen=True, slots=True)
class NamePart:
    text: str
    skeleton: str
    abjad: bool
    kind: PartKind

    @property
    def weight(self) -> float:
        return PART_WEIGHTS[self.kind]


@dataclass(frozen=True, slots=True)
class ParsedName:
    original: str
    schema: Schema
    parts: tuple[NamePart, ...]
    legal_forms: tuple[str, ...]

    @property
    def total_weight(self) -> float:
        return sum(p.weight for p in self.parts)


_ROMAN = re.compile(r"[ivx]{1,4}")


def _kind(word: str, schema: Schema) -> PartKind:
    if word.isdigit():
        return PartKind.NUMBER
    # Roman numerals only outside persons: "Xi" is a surname, "Fund XI" a series.
    if schema is not Schema.PERSON and _ROMAN.fullmatch(word) and word not in ("i", "v", "x"):
        return PartKind.NUMBER
    if len(word) == 1:
        return PartKind.INITIAL
    if word in PARTICLES or word in HONORIFICS:
        return PartKind.PARTICLE
    if schema is not Schema.PERSON and word in GENERIC_ORGANISATION_WORDS:
        return PartKind.GENERIC
    return PartKind.WORD


def _strip_legal_forms(words: list[tuple[str, bool]]) -> tuple[list[tuple[str, bool]], list[str]]:
    """Take legal forms off both ends, repeatedly ("... Co., Ltd.", "OAO ...")."""
    found: list[str] = []
    changed = True
    while changed and len(words) > 1:
        changed = False
        texts = [w for w, _ in words]
        for size in range(min(LEGAL_FORM_MAX_WORDS, len(words) - 1), 0, -1):
            tail, head = tuple(texts[-size:]), tuple(texts[:size])
            if tail in LEGAL_FORMS:
                found.append(LEGAL_FORMS[tail])
                words = words[:-size]
            elif head in LEGAL_FORMS:
                found.append(LEGAL_FORMS[head])
                words = words[size:]
            else:
                continue
            changed = True
            break
    return words, found


def _join_letter_runs(words: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Organisations write acronyms with dots (A.B.C., p.l.c.): rejoin runs of single letters."""
    out: list[tuple[str, bool]] = []
    run: list[str] = []
    for word, abjad in [*words, ("", False)]:
        if len(word) == 1 and word.isalpha() and not abjad:
            run.append(word)
            continue
        if run:
            out.append(("".join(run), False))
            run = []
        if word:
            out.append((word, abjad))
    return out


def parse_name(text: str, schema: Schema = Schema.UNKNOWN) -> ParsedName:
    """Split a name into parts; for organisations (and unknown parties) take off legal forms."""
    words = [(w.replace("&", "and"), a) for w, a in ascii_words(text.replace("&", " and "))]
    legal: list[str] = []
    if schema is not Schema.PERSON:
        stripped, legal = _strip_legal_forms(words)
        stripped, more = _strip_legal_forms(_join_letter_runs(stripped))
        legal += more
        # A name that is nothing but a legal form stays whole rather than becoming empty.
        words = stripped or words
    words = [(NUMBER_WORDS.get(w, w), a) for w, a in words]
    parts = tuple(NamePart(w, skeleton(w, a), a, _kind(w, schema)) for w, a in words)
    return ParsedName(text, schema, parts, tuple(sorted(set(legal))))
