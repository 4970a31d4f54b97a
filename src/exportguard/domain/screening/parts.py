"""How alike two name parts are, and why: the building block of every explanation."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from exportguard.domain.screening.names import NamePart, PartKind
from exportguard.domain.screening.transliteration import skeleton
from exportguard.domain.screening.vocabulary import GIVEN_NAME_VARIANTS

# Below this a pair of parts is not a match at all (it counts as two unmatched parts).
MIN_PART_SIMILARITY = 0.7


def edit_budget(length: int) -> int:
    """Typos tolerated in a part of this length: none in short parts, where one letter turns
    Jon into Jan or Ali into Ari, and at most three in long ones (Khodorkovsky)."""
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    if length <= 8:
        return 2
    return 3


_CACHE: dict[tuple[str, str, bool, bool, PartKind, PartKind], tuple[float, str]] = {}
_CACHE_LIMIT = 500_000


def compare_parts(a: NamePart, b: NamePart) -> tuple[float, str]:
    """Similarity in [0, 1] and a short reason; (0.0, "") when the parts do not match."""
    # Names share parts heavily (Muhammad, Ali, Bank), so comparisons repeat across queries;
    # the result depends only on the two parts, so it is remembered (bounded, pure).
    key = (a.text, b.text, a.abjad, b.abjad, a.kind, b.kind)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        found = _CACHE[key] = _compare_parts(a, b)
    return found


def _compare_parts(a: NamePart, b: NamePart) -> tuple[float, str]:  # noqa: PLR0911 - one exit per kind of evidence
    if a.text == b.text:
        return 1.0, "same"
    if a.kind is PartKind.NUMBER or b.kind is PartKind.NUMBER:
        return 0.0, ""
    if a.kind is PartKind.INITIAL or b.kind is PartKind.INITIAL:
        short, long_ = (a, b) if len(a.text) < len(b.text) else (b, a)
        if long_.text.startswith(short.text):
            return 0.8, "initial"
        return 0.0, ""
    variant = GIVEN_NAME_VARIANTS.get(a.text)
    if variant is not None and variant == GIVEN_NAME_VARIANTS.get(b.text):
        return 0.9, "name variant"
    if a.abjad or b.abjad:
        return _compare_skeletons(a.skeleton, b.skeleton)
    length = max(len(a.text), len(b.text))
    distance = Levenshtein.distance(a.text, b.text, score_cutoff=edit_budget(length))
    # Within the typo budget a part always matches, however short (Serej/Sergey); the score
    # then weighs how many such approximate parts a name leans on.
    budget = edit_budget(length)
    similarity = max(MIN_PART_SIMILARITY, 1.0 - distance / length) if distance <= budget else 0.0
    # Same consonants, different vowels or transliteration scheme (Sergei/Sergey,
    # Schulze/Scholz). Short skeletons collide too easily (Omar/Amr/Maria), so not those.
    if len(a.skeleton) >= 3 and a.skeleton == b.skeleton and a.text[0] == b.text[0]:
        return max(similarity, 0.85), "same consonants"
    if similarity >= MIN_PART_SIMILARITY:
        return similarity, f"{distance} edit{'s' if distance > 1 else ''}"
    return 0.0, ""


def _compare_skeletons(a: str, b: str) -> tuple[float, str]:
    """Arabic or Hebrew script against anything: only the consonants can be compared."""
    if a == b and len(a) >= 2:
        return 0.9, "same consonants (abjad script)"
    if min(len(a), len(b)) >= 4 and Levenshtein.distance(a, b, score_cutoff=1) <= 1:
        return 0.75, "nearly same consonants (abjad script)"
    return 0.0, ""


def joined(first: NamePart, second: NamePart) -> NamePart:
    """Two adjacent parts written as one (Yong-chun / Yongchun, Al Qaida / Alqaida)."""
    text = first.text + second.text
    abjad = first.abjad and second.abjad
    return NamePart(text, skeleton(text, abjad), abjad, PartKind.WORD)
