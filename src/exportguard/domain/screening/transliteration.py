"""Any script to lower-case ASCII words, and the consonant skeleton used to compare across schemes.

anyascii (ISC licence) carries the per-script tables (Cyrillic, Greek, Armenian, Georgian, Arabic,
Hebrew, CJK, ...). What it cannot know is handled here:

* Turkish and Azerbaijani dotted/dotless i: ``"İ".lower()`` is ``"i̇"`` (i + combining dot), which
  would leave a stray mark, so İ/ı are folded before anything else.
* CJK ideographs come out as run-together capitalised syllables (習近平 -> ``XiJinPing``); each
  ideograph becomes its own word so that the scorer can re-join them the way a name is written.
* Arabic and Hebrew script carry no short vowels (محمد -> ``mhmd``), so a word from an abjad is
  flagged and compared on its consonant skeleton only (:func:`skeleton`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_TURKISH = str.maketrans({"İ": "I", "ı": "i", "Ə": "E", "ə": "e"})
_WORD = re.compile(r"[a-z0-9]+")
# Marks that join a word rather than split it: O'Brien, Qa'ida, ʿAbd (ayn) -> one word.
_JOINERS = re.compile(r"[’'`ʻʼʿʾ´]")


def _is_abjad(char: str) -> bool:
    code = ord(char)
    # Hebrew, Arabic, Syriac, Thaana, Arabic supplements and presentation forms.
    return 0x0590 <= code <= 0x08FF or 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def _is_ideograph(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xAC00 <= code <= 0xD7AF


def to_ascii(text: str) -> str:
    """Transliterate to ASCII, keeping word boundaries and marking words from abjad scripts.

    Words that came from an abjad are returned with a leading ``~`` so that the tokenizer can
    flag them; ``~`` is otherwise never produced.
    """
    text = unicodedata.normalize("NFC", text).translate(_TURKISH)
    out: list[str] = []
    for word in text.split():
        if any(_is_abjad(c) for c in word):
            out.append("~" + anyascii(word))
        elif any(_is_ideograph(c) for c in word):
            out.append(" ".join(anyascii(c) for c in word))
        else:
            out.append(anyascii(word))
    return " ".join(out)


def ascii_words(text: str) -> list[tuple[str, bool]]:
    """Lower-case ASCII words of ``text`` and whether each came from an abjad script."""
    words: list[tuple[str, bool]] = []
    for chunk in to_ascii(text).split():
        abjad = chunk.startswith("~")
        cleaned = _JOINERS.sub("", chunk.lower())
        words.extend((w, abjad) for w in _WORD.findall(cleaned))
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
)
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def skeleton(word: str, abjad: bool = False) -> str:
    """The consonants of a word after folding spelling-scheme variants; vowels and repeats go.

    ``muhammad``, ``mohammed`` and Arabic ``mhmd`` all give ``mhmd``. A trailing ``h`` goes too:
    it is the Arabic ta marbuta (``hmzh`` = Hamza) or an English spelling habit (Fatimah).
    In a word from an abjad a non-initial ``w`` is a long vowel (يوسف -> ``ywsf`` = Yusuf).
    """
    folded = word[0] + word[1:].replace("w", "") if abjad and word else word
    for source, target in _DIGRAPHS:
        if source in folded:
            folded = folded.replace(source, target)
    folded = _REPEATS.sub(r"\1", _VOWELS.sub("", folded))
    if len(folded) > 1 and folded.endswith("h"):
        folded = folded[:-1]
    return folded
