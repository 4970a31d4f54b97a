"""A name taken apart for matching: its parts, each with a skeleton and a weight, and its legal form."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from exportguard.domain.screening import abjad
from exportguard.domain.screening.entries import Schema
from exportguard.domain.screening.transliteration import (
    Script,
    Word,
    ascii_words,
    consonants,
    fold,
    vowel_shape,
)
from exportguard.domain.screening.vocabulary import (
    ABJAD_GIVEN_NAME_VARIANTS,
    GENERIC_ORGANISATION_WORDS,
    GIVEN_NAME_VARIANTS,
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


# Skeletons shorter than this (Ali, Eli, Oya) are keyed apart from longer ones ("=l"), and such
# parts match only when spelled alike (or read alike from an abjad script).
MIN_KEYED_SKELETON = 2
# Skeletons of at least this length are also keyed by each one-letter deletion, so that two
# parts one consonant apart (a typo, a missing or swapped letter) share a key.
MIN_DELETION_SKELETON = 3


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


def part_keys(skeletons: frozenset[str], variant: int | None) -> frozenset[str]:
    """Retrieval keys: the skeleton(s), their one-letter deletions, the given-name group."""
    keys: set[str] = set()
    for bare in skeletons:
        if len(bare) < MIN_KEYED_SKELETON:
            keys.add("=" + bare)
            continue
        keys.add(bare)
        if len(bare) >= MIN_DELETION_SKELETON:
            keys.update(_deletions(bare))
    if variant is not None:
        keys.add(f"v{variant}")
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class NamePart:
    """One word of a name, with everything its comparisons need worked out once."""

    text: str
    kind: PartKind
    script: Script
    original: str  # as written (Arabic, Han, Cyrillic, ...), for explanations
    folded: str
    skeleton: str
    shape: str
    keys: frozenset[str]
    pattern: abjad.Pattern | None  # Arabic, Persian or Hebrew letters read into Latin
    variant: int | None  # given-name group (John / Juan / Ivan), when the word is a known name

    @property
    def weight(self) -> float:
        return PART_WEIGHTS[self.kind]

    @property
    def abjad(self) -> bool:
        return self.pattern is not None

    @property
    def shown(self) -> str:
        """The part for a reader: its Latin form, and as written when that is another script."""
        if self.original and self.original != self.text:
            return f"{self.original} ({self.text})"
        return self.text


@lru_cache(maxsize=32_768)  # names share parts (Muhammad, Ali, Bank); bounded, so memory stays flat
def make_part(text: str, kind: PartKind, script: Script = Script.LATIN, original: str = "") -> NamePart:
    folded = fold(text)
    pattern = abjad.pattern(original) if script is Script.ABJAD and original else None
    if pattern is not None and pattern.slots:
        skeletons = pattern.readings
    else:
        pattern = None
        skeletons = frozenset({consonants(folded)})
    variant = (
        GIVEN_NAME_VARIANTS.get(text) if pattern is None else ABJAD_GIVEN_NAME_VARIANTS.get(pattern.letters)
    )
    return NamePart(
        text,
        kind,
        script,
        original or text,
        folded,
        consonants(folded),
        vowel_shape(folded),
        part_keys(skeletons, variant),
        pattern,
        variant,
    )


@dataclass(frozen=True, slots=True)
class ParsedName:
    original: str
    schema: Schema
    parts: tuple[NamePart, ...]
    legal_forms: tuple[str, ...]
    # Each pair of adjacent parts written as one word (Yong Chun / Yongchun), worked out once.
    joins: tuple[NamePart, ...] = ()
    spellings: frozenset[str] = frozenset()  # texts and folded forms of the parts and joins
    joined_spellings: frozenset[str] = frozenset()  # texts and folded forms of the joins
    abjad: bool = False  # any part written in Arabic, Persian or Hebrew letters

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


def _strip_legal_forms(words: list[Word]) -> tuple[list[Word], list[str]]:
    """Take legal forms off both ends, repeatedly ("... Co., Ltd.", "OAO ...")."""
    found: list[str] = []
    changed = True
    while changed and len(words) > 1:
        changed = False
        texts = [w.text for w in words]
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


def _join_letter_runs(words: list[Word]) -> list[Word]:
    """Organisations write acronyms with dots (A.B.C., p.l.c.): rejoin runs of single letters."""
    out: list[Word] = []
    run: list[str] = []
    for word in [*words, Word("", Script.LATIN, "")]:
        if len(word.text) == 1 and word.text.isalpha() and word.script is Script.LATIN:
            run.append(word.text)
            continue
        if run:
            joined = "".join(run)
            out.append(Word(joined, Script.LATIN, joined))
            run = []
        if word.text:
            out.append(word)
    return out


def parse_name(text: str, schema: Schema = Schema.UNKNOWN) -> ParsedName:
    """Split a name into parts; for organisations (and unknown parties) take off legal forms."""
    words = ascii_words(text.replace("&", " and "))
    legal: list[str] = []
    if schema is not Schema.PERSON:
        stripped, legal = _strip_legal_forms(words)
        stripped, more = _strip_legal_forms(_join_letter_runs(stripped))
        legal += more
        # A name that is nothing but a legal form stays whole rather than becoming empty.
        words = stripped or words
    parts = tuple(
        make_part(
            NUMBER_WORDS.get(w.text, w.text),
            _kind(NUMBER_WORDS.get(w.text, w.text), schema),
            w.script,
            w.original,
        )
        for w in words
    )
    joins = tuple(join_parts(a, b) for a, b in itertools.pairwise(parts))
    joined = frozenset(j.text for j in joins) | frozenset(j.folded for j in joins)
    return ParsedName(
        text,
        schema,
        parts,
        tuple(sorted(set(legal))),
        joins,
        frozenset(p.text for p in parts) | frozenset(p.folded for p in parts) | joined,
        joined,
        any(p.pattern is not None for p in parts),
    )


def join_parts(first: NamePart, second: NamePart) -> NamePart:
    """Two adjacent parts written as one (Yong-chun / Yongchun, Al Qaida / Alqaida)."""
    script = first.script if first.script == second.script else Script.OTHER
    original = first.original + second.original if script is Script.ABJAD else ""
    return make_part(first.text + second.text, PartKind.WORD, script, original)
