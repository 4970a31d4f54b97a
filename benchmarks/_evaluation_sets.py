"""Evaluation sets for screening, built afresh from public sources with a fixed seed.

* Innocent people and companies: Faker's per-locale name tables (MIT; the names its authors
  collected for each culture, in the culture's own script), 39 locales, 30+ cultures, 12+
  scripts, composed into names of two to four parts (long Arabic, Persian, Hebrew, Han and
  Devanagari names included). An innocent name whose every part is a part of one listed name is
  a *true homonym*: flagging it is right, so it is counted apart.
* Listed parties as a screener meets them: names of entries drawn from the real lists in
  ../shared/data, altered by one or two random edits (substitutions, insertions, deletions,
  adjacent transpositions), reordered, or given in their original script (Arabic, Cyrillic, Han
  ...) against an index that holds only their Latin-script names.

Entries are split in two by a hash of their key (development / held-out), and each split gets its
own seed, so that the figures on the held-out half were never looked at while tuning.
"""

from __future__ import annotations

import hashlib
import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from exportguard.domain.screening.blocking import keyed_parts
from exportguard.domain.screening.entries import ListEntry, Schema
from exportguard.domain.screening.names import parse_name

# Locale -> culture. Locales whose tables fall back to English names are left out.
LOCALES: dict[str, str] = {
    "en_US": "American", "en_GB": "British", "en_IE": "Irish", "en_AU": "Australian",
    "es_ES": "Spanish", "es_MX": "Mexican", "pt_BR": "Brazilian", "pt_PT": "Portuguese",
    "fr_FR": "French", "de_DE": "German", "it_IT": "Italian", "nl_NL": "Dutch",
    "sv_SE": "Swedish", "fi_FI": "Finnish", "pl_PL": "Polish", "cs_CZ": "Czech",
    "hu_HU": "Hungarian", "ro_RO": "Romanian", "tr_TR": "Turkish", "az_AZ": "Azerbaijani",
    "id_ID": "Indonesian", "vi_VN": "Vietnamese", "fil_PH": "Filipino", "yo_NG": "Yoruba",
    "en_IN": "Indian (Latin)", "ru_RU": "Russian", "uk_UA": "Ukrainian", "bg_BG": "Bulgarian",
    "el_GR": "Greek", "hy_AM": "Armenian", "ka_GE": "Georgian", "ar_SA": "Saudi",
    "ar_PS": "Palestinian", "fa_IR": "Persian", "he_IL": "Israeli", "zh_CN": "Chinese",
    "zh_TW": "Taiwanese", "ja_JP": "Japanese", "ko_KR": "Korean", "hi_IN": "Hindi",
    "ne_NP": "Nepali", "bn_BD": "Bengali", "ta_IN": "Tamil", "th_TH": "Thai",
}  # fmt: skip
_NO_SPACE = {"zh_CN", "zh_TW", "ja_JP", "ko_KR"}  # family name first, often written joined
_LONG = {"ar_SA", "ar_PS", "fa_IR", "he_IL", "hi_IN", "ne_NP", "bn_BD", "zh_CN", "zh_TW"}
_SCRIPT_PREFIXES = (
    ("LATIN", "Latin"), ("ARABIC", "Arabic"), ("HEBREW", "Hebrew"), ("CJK", "Han"),
    ("DEVANAGARI", "Devanagari"), ("CYRILLIC", "Cyrillic"), ("GREEK", "Greek"),
    ("ARMENIAN", "Armenian"), ("GEORGIAN", "Georgian"), ("HANGUL", "Hangul"),
    ("HIRAGANA", "Kana"), ("KATAKANA", "Kana"), ("THAI", "Thai"), ("BENGALI", "Bengali"),
    ("TAMIL", "Tamil"),
)  # fmt: skip


def script_of(name: str) -> str:
    """The script most of the name's letters are written in."""
    counts: dict[str, int] = {}
    for char in name:
        if not char.isalpha():
            continue
        label = unicodedata.name(char, "")
        script = next((s for prefix, s in _SCRIPT_PREFIXES if label.startswith(prefix)), "other")
        counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else "other"


@dataclass(frozen=True)
class Query:
    name: str
    schema: Schema
    kind: str  # "innocent" or how a listed name was altered
    culture: str = ""
    script: str = "Latin"
    target: tuple[str, str] | None = None  # the listed entry it must find
    listed_name: str = ""


def split_of(entry: ListEntry) -> int:
    """0 (development) or 1 (held-out), fixed by the entry's key."""
    return hashlib.sha256("|".join(entry.key).encode()).digest()[0] % 2


class Homonyms:
    """Listed names by their distinctive parts: is an innocent name's every part in one of them?"""

    def __init__(self, names: Iterable[tuple[str, Schema]]) -> None:
        self._by_part: dict[str, list[frozenset[str]]] = {}
        for name, schema in names:
            parts = _parts(name, schema)
            for part in parts:
                self._by_part.setdefault(part, []).append(parts)

    def __contains__(self, query: object) -> bool:
        assert isinstance(query, Query)
        parts = _parts(query.name, query.schema)
        if not parts:
            return False
        rarest = min(parts, key=lambda p: len(self._by_part.get(p, ())))
        return any(parts <= listed for listed in self._by_part.get(rarest, ()))


def _parts(name: str, schema: Schema) -> frozenset[str]:
    return frozenset(p.folded for p in keyed_parts(parse_name(name, schema)))


def innocent_names(count: int, seed: int) -> list[Query]:
    """``count`` distinct names of people (90%) and companies (10%) of the cultures above."""
    faker_module = __import__("faker")
    fakers = {}
    for locale in LOCALES:
        fake = faker_module.Faker(locale)
        fake.seed_instance(seed)
        fakers[locale] = fake
    rng = random.Random(seed)
    found: dict[str, Query] = {}
    locales = list(LOCALES)
    while len(found) < count:
        locale = rng.choice(locales)
        fake = fakers[locale]
        if rng.random() < 0.1:
            name, schema = fake.company(), Schema.ORGANISATION
        else:
            name, schema = _person(fake, locale, rng), Schema.PERSON
        name = " ".join(name.split())
        if name and name not in found:
            found[name] = Query(name, schema, "innocent", LOCALES[locale], script_of(name))
    return list(found.values())


def _person(fake: object, locale: str, rng: random.Random) -> str:
    first, last = getattr(fake, "first_name"), getattr(fake, "last_name")  # noqa: B009 - Faker's dynamic API
    given = [first()]
    if rng.random() < (0.6 if locale in _LONG else 0.25):
        given.append(first())  # a second given name, or the father's name
    family = [last()]
    if locale in _LONG and rng.random() < 0.3:
        family.append(last())
    if locale in _NO_SPACE:
        joined = "".join(family) + "".join(given)
        return joined if rng.random() < 0.6 else " ".join(family + given)
    parts = given + family
    if rng.random() < 0.2:
        parts = family + given
    return " ".join(parts)


VARIANT_KINDS = ("one edit", "transposition", "two edits", "reordered", "reordered + one edit")


def listed_variants(entries: Sequence[ListEntry], count: int, seed: int) -> list[Query]:
    """Listed names altered the way screeners meet them, each tied to its entry."""
    rng = random.Random(seed)
    usable = [e for e in entries if e.schema in (Schema.PERSON, Schema.ORGANISATION)]
    out: list[Query] = []
    while len(out) < count:
        entry = rng.choice(usable)
        latin = [n for n in entry.names if script_of(n) == "Latin" and len(n.split()) >= 2]
        if not latin:
            continue
        name = rng.choice(latin)
        kind = VARIANT_KINDS[len(out) % len(VARIANT_KINDS)]
        altered = _alter(name, kind, rng)
        if altered and altered != name:
            out.append(Query(altered, entry.schema, kind, "", "Latin", entry.key, name))
    return out


def original_script_queries(entries: Sequence[ListEntry], count: int, seed: int) -> list[Query]:
    """Entries' names in their original script, to be found among their Latin names only."""
    rng = random.Random(seed)
    found = [
        Query(n, e.schema, f"original script ({script_of(n)})", "", script_of(n), e.key, e.primary_name)
        for e in entries
        if e.schema in (Schema.PERSON, Schema.ORGANISATION)
        for n in e.names
        if script_of(n) not in ("Latin", "other") and any(script_of(m) == "Latin" for m in e.names)
    ]
    rng.shuffle(found)
    return found[:count]


def latin_only(entries: Iterable[ListEntry]) -> list[ListEntry]:
    """The entries with their names in other scripts taken out."""
    out = []
    for entry in entries:
        names = tuple(n for n in entry.names if script_of(n) in ("Latin", "other"))
        if names:
            out.append(ListEntry(entry.source, entry.entry_id, entry.schema, names, entry.countries,
                                 entry.birth_dates, entry.programs, entry.remarks))  # fmt: skip
    return out


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _alter(name: str, kind: str, rng: random.Random) -> str:
    words = name.replace(",", " ").split()
    if kind.startswith("reordered"):
        words = [words[-1], *words[:-1]]
    edits = {"one edit": 1, "transposition": 1, "two edits": 2, "reordered": 0, "reordered + one edit": 1}[
        kind
    ]
    for _ in range(edits):
        long_words = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 4]
        if not long_words:
            return ""
        index = rng.choice(long_words)
        operation = "transpose" if kind == "transposition" else rng.choice(("sub", "ins", "del", "transpose"))
        words[index] = _edit(words[index], operation, rng)
    return " ".join(words)


def _edit(word: str, operation: str, rng: random.Random) -> str:
    positions = [i for i, c in enumerate(word) if c.isalpha()]
    i = rng.choice(positions[1:-1] or positions)
    letter = rng.choice(_LETTERS)
    letter = letter.upper() if word[i].isupper() else letter
    if operation == "sub":
        return word[:i] + letter + word[i + 1 :]
    if operation == "ins":
        return word[:i] + letter + word[i:]
    if operation == "del":
        return word[:i] + word[i + 1 :]
    j = i + 1 if i + 1 < len(word) and word[i + 1].isalpha() else i - 1
    a, b = sorted((i, j))
    return word[:a] + word[b] + word[a] + word[b + 1 :]
