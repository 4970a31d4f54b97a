"""How alike two name parts are, and why: the building block of every explanation.

Each way two parts can match has its name, shown to the reader: *identical*; *spelling
variant* (the same word in another romanisation: Sergei/Sergey, Muhammad/Mohamed);
*transliteration* (an Arabic, Persian or Hebrew word read into the Latin one); *initial*;
*name variant* (a cognate or nickname: Juan/John, Ted/Theodore); *N edits* (a typo; a swap of
two adjacent letters is one edit).

Apart from identical words, initials and name variants, two parts only ever match when they
share a retrieval key (:func:`names.part_keys`): that is what lets retrieval promise it never
drops a name the scorer would match.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

from exportguard.domain.screening import abjad
from exportguard.domain.screening.names import NamePart, PartKind, join_parts
from exportguard.domain.screening.transliteration import Script

# Below this a pair of parts is not a match at all (it counts as two unmatched parts).
MIN_PART_SIMILARITY = 0.7
IDENTICAL = "identical"
SPELLING = "spelling variant"
TRANSLITERATION = "transliteration"
INITIAL = "initial"
NAME_VARIANT = "name variant"
# Similarity given to each kind of evidence.
SPELLING_SIMILARITY = 0.92
TRANSLITERATION_SIMILARITY = 0.92
TRANSLITERATION_NEAR_SIMILARITY = 0.85
INITIAL_SIMILARITY = 0.8
NAME_VARIANT_SIMILARITY = 0.9
# A difference in vowels only (Muhammad/Mohamed) costs half an edit, in words of at least this
# many consonants; in shorter ones a vowel is much of the name (Omar/Amir, Hassan/Hossein).
HALF_VOWEL_MIN_SKELETON = 4
# A typo costs a little beyond its share of the letters (Smith / Scit is not 0.75 alike).
TYPO_COST = 0.06
DOUBTFUL_MAX_LETTERS = 4
DOUBTFUL_EDIT_SHARE = 0.2
# Abjad words read with one letter off must have this many letters at least (حسین is Hossein,
# not Hassan with one letter off).
ABJAD_NEAR_MIN_LETTERS = 5
# A Latin word read from an abjad one at this cost or less is a transliteration (a rarer spelling).
_ABJAD_NEAR_COST = 0.5


def edit_budget(length: int) -> float:
    """Typos tolerated in a part whose shorter spelling has ``length`` letters: none in short
    parts, where one letter turns Jon into Jan or Ali into Ari, at most three in long ones."""
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    if length <= 9:
        return 2
    return 3


_UNKEYED = (PartKind.INITIAL, PartKind.NUMBER)
_CACHE: dict[tuple[str, str, str, str, PartKind, PartKind], tuple[float, str]] = {}
# Bounded: filled by the first few thousand queries, then cleared whole, so memory stays flat.
_CACHE_LIMIT = 50_000


def compare_parts(a: NamePart, b: NamePart) -> tuple[float, str]:
    """Similarity in [0, 1] and how they matched; (0.0, "") when the parts do not match."""
    if (
        a.keys.isdisjoint(b.keys)
        and a.text != b.text
        and a.kind not in _UNKEYED
        and b.kind not in _UNKEYED
        and (a.variant is None or a.variant != b.variant)
    ):
        return 0.0, ""  # most pairs: nothing in common at all (cheap, so not remembered)
    # Names share parts heavily (Muhammad, Ali, Bank), so comparisons repeat across queries;
    # the result depends only on the two parts, so it is remembered (bounded, pure).
    key = (a.text, b.text, a.original, b.original, a.kind, b.kind)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        found = _CACHE[key] = _compare_parts(a, b)
    return found


def _compare_parts(a: NamePart, b: NamePart) -> tuple[float, str]:  # noqa: PLR0911 - one exit per kind of evidence
    if a.text == b.text and (a.pattern is None) == (b.pattern is None):
        return 1.0, IDENTICAL
    if a.kind is PartKind.NUMBER or b.kind is PartKind.NUMBER:
        return 0.0, ""
    if a.kind is PartKind.INITIAL or b.kind is PartKind.INITIAL:
        short, long_ = (a, b) if len(a.text) < len(b.text) else (b, a)
        if short.pattern is None and long_.text.startswith(short.text):
            return INITIAL_SIMILARITY, INITIAL
        return 0.0, ""
    if a.variant is not None and a.variant == b.variant:
        return (
            (SPELLING_SIMILARITY, SPELLING)
            if a.folded == b.folded
            else (NAME_VARIANT_SIMILARITY, NAME_VARIANT)
        )
    if a.keys.isdisjoint(b.keys):
        return 0.0, ""
    if a.pattern is not None or b.pattern is not None:
        return _compare_abjad(a, b)
    if Script.HAN in (a.script, b.script):
        # Pinyin is one spelling: Zhou is not Zhu, and its syllables are too short for a typo.
        return 0.0, ""
    if a.folded == b.folded:
        return SPELLING_SIMILARITY, SPELLING
    return _compare_by_edits(a, b)


def _compare_by_edits(a: NamePart, b: NamePart) -> tuple[float, str]:
    shorter = min(len(a.text), len(b.text))
    budget = edit_budget(shorter)
    # The edits counted below are at least the difference in length of the words as typed,
    # or half that of their folded forms: most pairs are told apart here, without an alignment.
    apart = min(abs(len(a.text) - len(b.text)), 0.5 * abs(len(a.folded) - len(b.folded)))
    if budget == 0 or apart > budget:
        return 0.0, ""
    full = OSA.distance(a.folded, b.folded)
    shape = OSA.distance(a.shape, b.shape)
    long_enough = min(len(a.skeleton), len(b.skeleton)) >= HALF_VOWEL_MIN_SKELETON
    # Edits in the vowels alone (Hussein/Hossein) count half in long enough words; a typo is
    # counted on the letters as typed when that is fewer (Gertrudis/Gerrudis).
    edits = min(shape + (0.5 if long_enough else 1.0) * max(full - shape, 0), OSA.distance(a.text, b.text))
    if edits > budget:
        return 0.0, ""
    if long_enough and shape == 0 and edits <= 1:
        return SPELLING_SIMILARITY - 0.05 * edits, SPELLING
    longest = max(len(a.text), len(b.text))
    similarity = max(MIN_PART_SIMILARITY, 1.0 - edits / longest - TYPO_COST)
    return similarity, f"{edits:g} edit{'' if edits == 1 else 's'}"


def doubtful(how: str, a: NamePart, b: NamePart) -> bool:
    """A typo match that is weak evidence: two edits in a word of up to ten letters, or one
    letter replaced by another in a short word (Daan / Chan, Kaul / Cagl); the name then needs
    more evidence, as a partial name does. A letter missing or added (Ahmd / Ahmad) is the
    common typo and stays strong."""
    if not how[:1].isdigit():
        return False
    if not how.startswith("1 "):
        # Two edits in a long word (Khodorkovsky / Khordorovsky) are still a typo.
        return float(how.split(maxsplit=1)[0]) / min(len(a.text), len(b.text)) > DOUBTFUL_EDIT_SHARE
    short = min(len(a.folded), len(b.folded)) <= DOUBTFUL_MAX_LETTERS
    if not short or len(a.folded) != len(b.folded):
        return False
    return sum(x != y for x, y in zip(a.folded, b.folded, strict=True)) == 1


def _compare_abjad(a: NamePart, b: NamePart) -> tuple[float, str]:
    if a.pattern is not None and b.pattern is not None:
        if a.pattern.letters == b.pattern.letters:
            return 1.0, IDENTICAL
        budget = 1 if min(len(a.pattern.letters), len(b.pattern.letters)) >= ABJAD_NEAR_MIN_LETTERS - 1 else 0
        edits = OSA.distance(a.pattern.letters, b.pattern.letters)
        if edits > budget:
            return 0.0, ""
        longest = max(len(a.pattern.letters), len(b.pattern.letters))
        return max(MIN_PART_SIMILARITY, 1.0 - edits / longest), f"{edits} edit{'' if edits == 1 else 's'}"
    written, latin = (a, b) if a.pattern is not None else (b, a)
    assert written.pattern is not None
    cost = abjad.distance(written.pattern, latin.folded, limit=_ABJAD_NEAR_COST)
    if cost == 0:
        return TRANSLITERATION_SIMILARITY, TRANSLITERATION
    if cost <= _ABJAD_NEAR_COST:
        return TRANSLITERATION_NEAR_SIMILARITY, TRANSLITERATION
    return 0.0, ""


def joined(first: NamePart, second: NamePart) -> NamePart:
    """Two adjacent parts written as one (see :func:`names.join_parts`)."""
    return join_parts(first, second)
