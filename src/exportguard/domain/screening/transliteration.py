"""Any script to lower-case ASCII words, each with its script and the word as written.

anyascii (ISC licence) carries the per-script tables (Cyrillic, Greek, Armenian, Georgian,
Devanagari, Hangul, Han as pinyin, ...). What it cannot know is handled here:

* Turkish and Azerbaijani dotted/dotless i: ``"İ".lower()`` is ``"i̇"`` (i + combining dot), which
  would leave a stray mark, so İ/ı are folded before anything else.
* Han ideographs come out as run-together capitalised pinyin syllables (習近平 -> ``XiJinPing``);
  each ideograph becomes its own word so that the scorer can re-join them the way a name is
  written (Jinping).
* Arabic, Persian and Hebrew carry no short vowels: such words keep their letters, and
  :mod:`~exportguard.domain.screening.abjad` reads them into Latin with vowel hypotheses (the
  article written joined, الزواهري, included).

:func:`fold` is the spelling-scheme folding every comparison works on (Sergei/Sergey,
Yusuf/Youssef, Khalid/Chalid); :func:`skeleton` keeps its consonants (retrieval keys).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from anyascii import anyascii


class Script(StrEnum):
    LATIN = "latin"
    ABJAD = "abjad"  # Arabic, Persian, Urdu, Hebrew
    HAN = "han"
    OTHER = "other"  # Cyrillic, Greek, Devanagari, Hangul, ...: through their romanisation


_TURKISH = str.maketrans({"İ": "I", "ı": "i", "Ə": "E", "ə": "e"})
_WORD = re.compile(r"[a-z0-9]+")
# Marks that join a word rather than split it: O'Brien, Qa'ida, ʿAbd (ayn) -> one word.
_JOINERS = re.compile(r"[’'`ʻʼʿʾ´]")
_ABJAD_WORD = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+")
_ARTICLE = "ال"


def _is_abjad(char: str) -> bool:
    code = ord(char)
    return 0x0590 <= code <= 0x08FF or 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def _is_ideograph(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def script_of(char: str) -> Script:
    if _is_abjad(char):
        return Script.ABJAD
    if _is_ideograph(char):
        return Script.HAN
    if char.isascii() or unicodedata.name(char, "").startswith("LATIN"):
        return Script.LATIN
    return Script.OTHER


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a name: lower-case ASCII, the script it was written in, and as written."""

    text: str
    script: Script
    original: str


def _abjad_words(chunk: str) -> list[Word]:
    out: list[Word] = []
    for word in _ABJAD_WORD.findall(chunk):
        if word == _ARTICLE:
            out.append(Word("al", Script.ABJAD, word))  # the article written apart is a particle
            continue
        text = "".join(_WORD.findall(_JOINERS.sub("", anyascii(word).lower())))
        if text:
            out.append(Word(text, Script.ABJAD, word))
    return out


def ascii_words(text: str) -> list[Word]:
    """The words of ``text`` in lower-case ASCII, each with its script and original spelling."""
    text = unicodedata.normalize("NFC", text).translate(_TURKISH)
    words: list[Word] = []
    for chunk in text.split():
        if any(_is_abjad(c) for c in chunk):
            words.extend(_abjad_words(chunk))
            continue
        if any(_is_ideograph(c) for c in chunk):
            for char in chunk:
                syllables = _WORD.findall(anyascii(char).lower())
                script = Script.HAN if _is_ideograph(char) else Script.OTHER
                words.extend(Word(w, script, char) for w in syllables)
            continue
        latin = chunk.isascii() or all(script_of(c) is Script.LATIN for c in chunk)
        script = Script.LATIN if latin else Script.OTHER
        cleaned = _JOINERS.sub("", anyascii(chunk).lower())
        found = _WORD.findall(cleaned)
        # The original is shown beside the Latin form only when the script differs.
        words.extend(Word(w, script, chunk if script is Script.OTHER else w) for w in found)
    return words


# Spelling-scheme differences that carry no information about identity: Sergei/Sergey,
# Gazprom/Gasprom, Yusuf/Youssef, Khalid/Chalid. Order matters: digraphs before letters.
_DIGRAPHS = (
    ("sch", "s"),
    ("tch", "c"),
    ("dzh", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "k"),
    ("ch", "c"),
    ("sh", "s"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("gh", "g"),
    ("ck", "k"),
    ("ts", "s"),
    ("tz", "s"),
    ("ou", "u"),
    ("x", "ks"),
    ("q", "k"),
    ("c", "k"),
    ("z", "s"),
    ("w", "v"),
    ("y", "i"),
)
_VOWEL_RUN = re.compile(r"[aeiou]+")
_VOWELS = re.compile(r"[aeiou]")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=65_536)  # bounded: memory stays flat however many names are screened
def fold(word: str) -> str:
    """A word with spelling-scheme variants folded, repeats collapsed, a final h after a vowel
    dropped (Fatimah, the ta marbuta's h): what every part comparison works on."""
    folded = word
    for source, target in _DIGRAPHS:
        if source in folded:
            folded = folded.replace(source, target)
    folded = _REPEATS.sub(r"\1", folded)
    if len(folded) > 2 and folded.endswith("h") and folded[-2] in "aeiou":
        folded = folded[:-1]
    return folded


def skeleton(word: str) -> str:
    """The consonants of :func:`fold`: ``muhammad``, ``mohammed`` and ``mohamed`` give ``mhmd``."""
    return consonants(fold(word))


def consonants(folded: str) -> str:
    """The skeleton of an already folded word."""
    return _REPEATS.sub(r"\1", _VOWELS.sub("", folded))


def vowel_shape(folded: str) -> str:
    """A folded word with each run of vowels written ``a``: Muhammad and Mohamed share one."""
    return _VOWEL_RUN.sub("a", folded)
