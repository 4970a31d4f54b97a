"""Candidate retrieval: which indexed names could possibly match a query, without scoring them all.

OpenSanctions measured that retrieval recall matters as much as the scorer (the best match was in
its index's top 10 only 63% of the time). Here retrieval works on the *vocabulary*: every distinct
part of the indexed names, and every pair of adjacent parts written as one word (a *join*), is
reachable through its keys (:func:`names.part_keys`: the consonant skeleton, every skeleton with
one consonant dropped, the given-name group). A query part is compared, by the scorer's own
:func:`parts.compare_parts`, with the few vocabulary parts sharing a key with it; the names
carrying the parts it matches are the candidates. Comparisons with a vocabulary part are the same
for every name that carries it, so a query costs a few hundred part comparisons, not one per
name.

A name is then scored only if its best possible score (:func:`best_possible`), worked out from
which query parts matched which of its parts, reaches the threshold: with a part left over on
either side, a name is a partial name and its score is held to 0.55 + 0.15 x the evidence of
its matched words (at most the rarity of the query parts that matched). The bound never prunes
a name the scorer would put at the threshold: a property test checks it against the scorer on
random names, with the order in which the index scores candidates and its early stop.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from exportguard.domain.screening.arithmetic import PARTIAL_BASE, PARTIAL_SLOPE, SINGLE_PART_CAP
from exportguard.domain.screening.names import NamePart, ParsedName, PartKind
from exportguard.domain.screening.parts import (
    MIN_PART_SIMILARITY,
    TRANSLITERATION,
    compare_parts,
    edit_budget,
)
from exportguard.domain.screening.scorer import WEAK_PAIR_CONFLICT, WEAK_PAIR_SIMILARITY

_KEYED = (PartKind.WORD, PartKind.GENERIC)


# The query parts whose vocabulary matches are remembered (bounded: cleared whole when full, so
# memory stays flat however many names are screened).
_MATCH_MEMO_LIMIT = 20_000


def keyed_parts(name: ParsedName) -> list[NamePart]:
    parts = [p for p in name.parts if p.kind in _KEYED]
    # A name of particles and initials only ("N.N.") is still reachable through them.
    return parts or list(name.parts)


@dataclass(frozen=True, slots=True)
class Shape:
    """What the bound needs of a name: how many distinctive parts, initials and other parts."""

    keyed: int
    initials: int
    unkeyed: int  # initials, particles and numbers: parts that pair without a shared key

    @classmethod
    def of(cls, name: ParsedName) -> Shape:
        keyed = len(keyed_parts(name))
        return cls(
            keyed,
            sum(1 for p in name.parts if p.kind is PartKind.INITIAL),
            len(name.parts) - keyed,
        )


def _weak_pairs_at_best(unkeyed: int) -> float:
    """The best raw score of a name with one matched word when its other parts pair up only
    as "alike" (similarity 0.25, a quarter of a conflict) and through ``unkeyed`` initials and
    particles at their best: (1 + 0.25 + u) / (1 + 1 + 2 x 0.25 + u)."""
    return (1 + WEAK_PAIR_SIMILARITY + unkeyed) / (2 + 2 * WEAK_PAIR_CONFLICT + unkeyed)


def best_possible(  # noqa: PLR0917 - the two shapes, the coverage, the evidence
    query: Shape,
    other: Shape,
    query_covered: int,
    other_covered: int,
    units: int,
    evidence: float,
) -> float:
    """An upper bound of the score of two names. ``query_covered`` is how many distinctive query
    parts matched (a join covering two), ``other_covered`` the same for the other name,
    ``units`` how many query parts and joins matched at all, ``evidence`` the most the matched
    words and a birth date or country could add up to.

    A distinctive part neither matched nor stood for by an initial on the other side is left
    over or paired as "alike"; either way the name is partial and the evidence limit holds.
    With one unit matched, the single-word cap holds too, unless "alike" pairs and initials
    could lift the raw score above it.
    """
    query_left = max(0, query.keyed - query_covered - other.initials)
    other_left = max(0, other.keyed - other_covered - query.initials)
    if not query_left and not other_left:
        return 1.0
    bound = min(1.0, PARTIAL_BASE + PARTIAL_SLOPE * evidence)
    if units <= 1:
        bound = min(bound, max(SINGLE_PART_CAP, _weak_pairs_at_best(query.unkeyed + other.unkeyed)))
    return bound


class NameBlocks:
    """Names indexed through their vocabulary: each distinct part and join, its keys, and the
    names that carry it."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, PartKind, str, str], int] = {}
        self._vocabulary: list[NamePart] = []
        self._by_key: dict[str, list[int]] = {}
        self._as_part: list[list[int]] = []  # vocabulary id -> names with it as a distinctive part
        self._as_join: list[list[int]] = []  # vocabulary id -> names with it as a join
        self._shapes: list[Shape] = []
        self._memo: dict[tuple[str, PartKind, str, str], tuple[int, ...]] = {}

    def _word(self, part: NamePart) -> int:
        identity = (part.text, part.kind, part.script, part.original)
        found = self._ids.get(identity)
        if found is None:
            found = self._ids[identity] = len(self._vocabulary)
            self._vocabulary.append(part)
            self._as_part.append([])
            self._as_join.append([])
            for key in part.keys:
                self._by_key.setdefault(key, []).append(found)
        return found

    def add(self, name: ParsedName) -> int:
        number = len(self._shapes)
        self._shapes.append(Shape.of(name))
        self._memo.clear()  # a new word may match a remembered query part
        for word in {self._word(p) for p in keyed_parts(name)}:
            self._as_part[word].append(number)
        for word in {self._word(j) for j in name.joins}:
            self._as_join[word].append(number)
        return number

    def extend(self, names: Iterable[ParsedName]) -> None:
        for name in names:
            self.add(name)

    def __len__(self) -> int:
        return len(self._shapes)

    def matches(self, part: NamePart) -> tuple[int, ...]:
        """The vocabulary's words the scorer would pair with ``part`` (similarity at least
        0.7): those sharing a key with it, compared by :func:`parts.compare_parts`."""
        identity = (part.text, part.kind, part.script, part.original)
        found = self._memo.get(identity)
        if found is None:
            near: set[int] = set()
            for key in part.keys:
                near.update(self._by_key.get(key, ()))
            vocabulary = self._vocabulary
            found = tuple(
                w
                for w in self._worth_comparing(part, near)
                if compare_parts(part, vocabulary[w])[0] >= MIN_PART_SIMILARITY
            )
            if len(self._memo) >= _MATCH_MEMO_LIMIT:
                self._memo.clear()
            self._memo[identity] = found
        return found

    def _worth_comparing(self, part: NamePart, near: set[int]) -> Iterable[int]:
        """The words of ``near`` that :func:`parts.compare_parts` could pair with ``part``. Two
        Latin-letter words match by typos only if they are at most ``edit_budget`` edits apart as
        typed or in their vowel shapes (see ``parts._compare_by_edits``), which rapidfuzz finds
        for all of them at once; identical, same folded form, name variants and abjad words are
        compared whatever their distance."""
        if part.pattern is not None or part.kind not in _KEYED:
            return near
        vocabulary = self._vocabulary
        words = list(near)
        budget = edit_budget(len(part.text))

        def within(texts: list[str], query: str, most: float) -> set[int]:
            # rapidfuzz's stubs reject its own distance as a scorer; it is one (lower is better).
            scorer = OSA.distance
            found = process.extract(query, texts, scorer=scorer, score_cutoff=most, limit=None)  # type: ignore[arg-type]
            return {words[i] for _, _, i in found}

        # edits = min(shape + k x (folded - shape), as typed) with k >= 0.5, so a pair within
        # budget is within it as typed, or in shape and within twice the budget folded.
        keep = within([vocabulary[w].text for w in words], part.text, budget)
        in_shape = within([vocabulary[w].shape for w in words], part.shape, budget)
        if in_shape:
            keep |= in_shape & within([vocabulary[w].folded for w in words], part.folded, 2 * budget)
        keep.update(
            w
            for w in words
            if (other := vocabulary[w]).pattern is not None
            or other.kind not in _KEYED
            or other.folded == part.folded
            or (part.variant is not None and other.variant == part.variant)
        )
        return keep

    def _names(self, part: NamePart, joined: bool) -> tuple[set[int], set[int]]:
        """The names carrying a word ``part`` matches as one of their parts, and those carrying
        one as two adjacent parts written as one. The scorer reads two adjacent parts as one
        word only when the other name writes them alike or transliterates them
        (``scorer._joins_up``), so a join (``joined``, or the name's) counts only then."""
        as_part: set[int] = set()
        as_join: set[int] = set()
        vocabulary = self._vocabulary
        for word in self.matches(part):
            other = vocabulary[word]
            alike = (
                other.text == part.text
                or other.folded == part.folded
                or (
                    (other.pattern is None) != (part.pattern is None)
                    and compare_parts(part, other)[1] == TRANSLITERATION
                )
            )
            if alike or not joined:
                as_part.update(self._as_part[word])
            if alike:
                as_join.update(self._as_join[word])
        return as_part, as_join

    def candidates(
        self,
        name: ParsedName,
        min_score: float = 0.0,
        evidence: Callable[[NamePart], float] | None = None,
        added_evidence: float = 1.5,
    ) -> list[tuple[float, int]]:
        """(best possible score, name number) of every name that could score ``min_score``
        against ``name``, best first. ``evidence`` is the scorer's rarity of a part
        (``Rarity.evidence``; 1 for every part without it); ``added_evidence`` the most a birth
        date and country could add."""
        parts = keyed_parts(name)
        # Each query unit (a part, or two adjacent parts as one word): the names whose parts and
        # whose joins it matches, and what it could bring as evidence.
        units: list[tuple[set[int], set[int], frozenset[int], float]] = []
        keyed = [j for j, p in enumerate(name.parts) if p.kind in _KEYED] or list(range(len(name.parts)))
        position = {j: i for i, j in enumerate(keyed)}  # place among the parts -> among the keyed ones
        for i, part in enumerate(parts):
            as_part, as_join = self._names(part, joined=False)
            weight = evidence(part) if evidence else 1.0
            units.append((as_part, as_join, frozenset({i}), weight if part.kind is PartKind.WORD else 0.0))
        if len(name.parts) > 1:
            for j, join in enumerate(name.joins):
                as_part, as_join = self._names(join, joined=True)
                covers = frozenset(position[k] for k in (j, j + 1) if k in position)
                units.append((as_part, as_join, covers, 1.0))
        counts: Counter[int] = Counter()
        for as_part, as_join, _, _ in units:
            counts.update(as_part | as_join if as_join else as_part)
        shape = self._shapes
        query = Shape.of(name)
        out: list[tuple[float, int]] = []
        for number, count in counts.items():
            other = shape[number]
            # One unit matched and at least one part left over: a partial name of one matched
            # word, under the threshold unless evidence from outside the name could lift it.
            if (
                count == 1
                and max(other.keyed - query.initials, query.keyed - other.initials) > 2
                and PARTIAL_BASE + PARTIAL_SLOPE * (1.0 + added_evidence) < min_score
            ):
                continue
            covered: set[int] = set()
            other_covered = 0
            found = added_evidence
            for as_part, as_join, covers, weight in units:
                in_join = number in as_join
                if not (in_join or number in as_part):
                    continue
                found += weight
                covered |= covers
                other_covered += 2 if in_join else 1
            bound = best_possible(query, other, len(covered), other_covered, count, found)
            if bound >= min_score:
                out.append((bound, number))
        out.sort(key=lambda c: (-c[0], c[1]))
        return out
