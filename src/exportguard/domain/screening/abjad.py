"""Arabic, Persian and Hebrew words read into Latin: letter tables with vowel hypotheses.

These scripts write consonants and long vowels; short vowels are left out (محمد is Muhammad,
Mohammed or Mohamed). A word is turned into a *pattern*: one slot per letter, each with the Latin
spellings that letter takes in the usual romanisation schemes (ق is q, k or g; و is w, v, u or o),
and between letters room for one unwritten short vowel. A Latin word is compared with the pattern
by a small edit distance: spelling the pattern costs nothing, each letter the Latin word lacks or
adds costs one. So حسن reads as Hasan or Hossn but not as Hosseini (whose final i would need
a written ی), and کریمی reads as Karimi but not as Akram.

Every spelling here is in the *folded* alphabet of :func:`transliteration.fold` (kh, ch, q, c ->
k; sh, z -> s; w -> v; y -> i), so a pattern compares with folded Latin words directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

# Letters as written, to the folded Latin spellings they take. Cost 0: a usual romanisation;
# cost 0.5: a rarer one (a dropped ح, Egyptian g for ج).
_V = ("a", "e", "i", "o", "u")
_ARABIC: dict[str, tuple[tuple[str, float], ...]] = {
    "ا": (("a", 0.0), ("e", 0.0), ("o", 0.5)),
    "أ": (("a", 0.0), ("e", 0.0), ("i", 0.0), ("o", 0.0), ("u", 0.0), ("", 0.0)),
    "إ": (("i", 0.0), ("e", 0.0), ("", 0.0)),
    "آ": (("a", 0.0),),
    "ٱ": (("a", 0.0), ("e", 0.0), ("", 0.0)),
    "ء": (("", 0.0), ("a", 0.0)),
    "ئ": (("", 0.0), ("i", 0.0), ("e", 0.0)),
    "ؤ": (("", 0.0), ("u", 0.0), ("o", 0.0)),
    "ب": (("b", 0.0),),
    "پ": (("p", 0.0),),
    "ت": (("t", 0.0),),
    "ث": (("t", 0.0), ("s", 0.0)),
    "ج": (("j", 0.0), ("g", 0.5)),
    "چ": (("k", 0.0),),
    "ح": (("h", 0.0), ("", 0.5)),
    "خ": (("k", 0.0), ("h", 0.5)),
    "د": (("d", 0.0),),
    "ذ": (("d", 0.0), ("s", 0.0)),
    "ر": (("r", 0.0),),
    "ز": (("s", 0.0),),
    "ژ": (("j", 0.0),),
    "س": (("s", 0.0),),
    "ش": (("s", 0.0),),
    "ص": (("s", 0.0),),
    "ض": (("d", 0.0), ("s", 0.0)),
    "ط": (("t", 0.0),),
    "ظ": (("s", 0.0), ("d", 0.0), ("t", 0.0)),
    "ع": (("", 0.0), ("a", 0.0), ("e", 0.0), ("i", 0.0), ("o", 0.0), ("u", 0.0)),
    "غ": (("g", 0.0), ("k", 0.5)),
    "ف": (("f", 0.0),),
    "ق": (("k", 0.0), ("g", 0.5)),
    "ك": (("k", 0.0),),
    "ک": (("k", 0.0),),
    "گ": (("g", 0.0),),
    "ل": (("l", 0.0),),
    "م": (("m", 0.0),),
    "ن": (("n", 0.0),),
    "ه": (("h", 0.0),),
    "ة": (("a", 0.0), ("e", 0.0), ("at", 0.0), ("et", 0.0), ("", 0.5)),
    "و": (("v", 0.0), ("u", 0.0), ("o", 0.0), ("ou", 0.5)),
    "ي": (("i", 0.0), ("e", 0.0), ("ei", 0.0), ("ai", 0.0)),
    "ی": (("i", 0.0), ("e", 0.0), ("ei", 0.0), ("ai", 0.0)),
    "ى": (("a", 0.0), ("i", 0.0), ("e", 0.0)),
}
# A final ه is a vowel in Persian (Fatemeh, Zadeh) and the ta marbuta's stand-in in Arabic.
_FINAL_HEH = (("a", 0.0), ("e", 0.0), ("", 0.0), ("h", 0.0))
_HEBREW: dict[str, tuple[tuple[str, float], ...]] = {
    "א": (("", 0.0), *((v, 0.0) for v in _V)),
    "ב": (("b", 0.0), ("v", 0.0)),
    "ג": (("g", 0.0), ("j", 0.5)),
    "ד": (("d", 0.0),),
    "ה": (("h", 0.0), ("a", 0.0), ("e", 0.0), ("", 0.5)),
    "ו": (("v", 0.0), ("u", 0.0), ("o", 0.0)),
    "ז": (("s", 0.0),),
    "ח": (("k", 0.0), ("h", 0.0)),
    "ט": (("t", 0.0),),
    "י": (("i", 0.0), ("e", 0.0), ("ei", 0.0), ("ai", 0.0)),
    "כ": (("k", 0.0), ("h", 0.5)),
    "ך": (("k", 0.0), ("h", 0.5)),
    "ל": (("l", 0.0),),
    "מ": (("m", 0.0),),
    "ם": (("m", 0.0),),
    "נ": (("n", 0.0),),
    "ן": (("n", 0.0),),
    "ס": (("s", 0.0),),
    "ע": (("", 0.0), *((v, 0.0) for v in _V)),
    "פ": (("p", 0.0), ("f", 0.0)),
    "ף": (("f", 0.0), ("p", 0.0)),
    "צ": (("s", 0.0),),
    "ץ": (("s", 0.0),),
    "ק": (("k", 0.0),),
    "ר": (("r", 0.0),),
    "ש": (("s", 0.0),),
    "ת": (("t", 0.0), ("s", 0.0)),
}
_TABLE = _ARABIC | _HEBREW
# A word's first letter alef carries whatever vowel begins it (Islam, Omar, Ahmad).
_INITIAL_ALEF = tuple((v, 0.0) for v in ("", *_V))
# The article, at the start of a word (الرحمن: al-Rahman, ar-Rahman, Rahman) or inside a compound
# name (عبدالله: Abdullah, Abdallah, Abdel; نورالدين: Nuruddin, Noureddine), assimilated or not.
_ARTICLE = "ال"
_ARTICLE_START = (*((s, 0.0) for s in ("al", "el", "ul", "ol", "il", "a", "e", "u", "")), ("l", 0.5))
_ARTICLE_INSIDE = (*((s, 0.0) for s in ("al", "el", "ul", "ol", "il", "a", "e", "u", "o", "i")), ("", 0.5))
# Letters that are long vowels: no unwritten vowel follows them (جان is Jan, not Jain).
_LONG_VOWELS = frozenset("اآى")
# Spellings of one letter as the same letter in both scripts' variants (for abjad vs abjad).
_NORMAL = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
_READINGS_LIMIT = 16
# The most a spelling may cost and still be read as the word (a rarer romanisation of one letter).
_NEAR_COST = 0.5

Slot = tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Pattern:
    """How a word of an abjad script may be spelled in Latin letters."""

    letters: str  # normalised, for comparing two abjad words with each other
    slots: tuple[Slot, ...]
    vowel_follows: tuple[bool, ...]  # whether an unwritten short vowel may follow each slot
    readings: frozenset[str]  # consonant skeletons of its likeliest readings (for retrieval)
    # The letters a spelling costing at most half an edit may begin with (None: any).
    first_letters: frozenset[str] | None = None


def _is_letter(char: str) -> bool:
    return char in _TABLE


def pattern(word: str) -> Pattern:
    """The pattern of one abjad word (diacritics, tatweel and other marks are skipped)."""
    written = "".join(c for c in word if _is_letter(c))
    # (letter, slot, followed by a free short vowel); a doubled letter reads as one, as Latin
    # folding reads Allah as alah.
    slots: list[tuple[str, Slot, bool]] = []
    position = 0
    while position < len(written):
        letter = written[position]
        rest = len(written) - position - 2
        if written.startswith(_ARTICLE, position) and rest >= 2 and (position == 0 or position >= 2):
            slots.append((_ARTICLE, _ARTICLE_START if position == 0 else _ARTICLE_INSIDE, False))
            position += 2
            continue
        position += 1
        if slots and slots[-1][0] == letter:
            continue
        if letter == "ا" and not slots:
            slot = _INITIAL_ALEF
        elif letter == "ه" and position == len(written) and slots:
            slot = _FINAL_HEH
        else:
            slot = _TABLE[letter]
        slots.append((letter, slot, letter not in _LONG_VOWELS))
    return Pattern(
        written.translate(_NORMAL),
        tuple(s for _, s, _ in slots),
        tuple(free for _, _, free in slots),
        _readings([s for _, s, _ in slots]),
        _first_letters([(s, free) for _, s, free in slots]),
    )


def _first_letters(slots: list[tuple[Slot, bool]]) -> frozenset[str] | None:
    """What a spelling of cost at most 0.5 begins with: a first letter of the first slot's
    spellings, a free vowel after it, or, when the slot may be spelled by nothing, what the
    next slot begins with. None when every slot may be spelled by nothing."""
    found: set[str] = set()
    for slot, vowel_follows in slots:
        found.update(spelling[0] for spelling, cost in slot if spelling and cost <= _NEAR_COST)
        if vowel_follows:
            found.update(_V)
        if not any(not spelling and cost <= _NEAR_COST for spelling, cost in slot):
            return frozenset(found)
    return None


def _consonants(text: str) -> str:
    return "".join(c for c in text if c not in "aeiou")


def _readings(slots: list[Slot]) -> frozenset[str]:
    """Skeletons of the pattern's spellings, most usual first, at most ``_READINGS_LIMIT``."""
    choices = [tuple(dict.fromkeys(_consonants(s) for s, _ in slot)) for slot in slots]
    found: list[str] = []
    for combination in product(*choices):
        skeleton = _collapse("".join(combination))
        if skeleton not in found:
            found.append(skeleton)
        if len(found) >= _READINGS_LIMIT:
            break
    return frozenset(found)


def _collapse(text: str) -> str:
    out: list[str] = []
    for char in text:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


_VOWELS = frozenset("aeiou")


def distance(word: Pattern, latin: str, limit: float = float("inf")) -> float:  # noqa: PLR0912 - one alignment, letter by letter, and its early stop
    """Fewest edits turning one spelling of ``word`` into the folded Latin word ``latin``.

    One unwritten short vowel may follow each letter but the last, for free; a letter the Latin
    word lacks, a Latin letter the pattern lacks or a letter spelled otherwise costs one. Once
    every spelling of the letters read so far costs more than ``limit``, the cost so far is
    returned (costs only add up, so the answer is past ``limit`` too).
    """
    size = len(latin)
    if limit <= _NEAR_COST and size and word.first_letters is not None and latin[0] not in word.first_letters:
        return 1.0  # no spelling this cheap begins with that letter
    inf = float("inf")
    current = [0.0] + [float(j) for j in range(1, size + 1)]  # before any slot: insertions only
    last = len(word.slots) - 1
    for index, slot in enumerate(word.slots):
        following = [inf] * (size + 1)
        for j in range(size + 1):
            base = current[j]
            if base == inf:
                continue
            following[j] = min(following[j], base + 1.0)  # the Latin word lacks this letter
            for spelling, cost in slot:
                end = j + len(spelling)
                if end <= size and latin[j:end] == spelling:
                    following[end] = min(following[end], base + cost)
                elif spelling and j < size:
                    following[j + 1] = min(following[j + 1], base + cost + 1.0)
                if len(spelling) == 1 and spelling in _VOWELS and j and latin[j - 1] == spelling:
                    following[j] = min(following[j], base + cost)  # a vowel read twice (اياد, Iyad)
        if index < last and word.vowel_follows[index]:
            # One free short vowel after a letter (never after the last one, nor after a long
            # vowel: جان is Jan, not Jain).
            for j in range(size, 0, -1):
                if latin[j - 1] in _VOWELS and following[j - 1] < following[j]:
                    following[j] = following[j - 1]
        elif index == last and size and latin[-1] == "e" and following[size - 1] < following[size]:
            following[size] = following[size - 1]  # French final e (Abderrahmane, Djermane)
        for j in range(1, size + 1):  # any other Latin letter is an insertion
            following[j] = min(following[j], following[j - 1] + 1.0)
        current = following
        cheapest = min(current)
        if cheapest > limit:
            return cheapest
    return current[size]
