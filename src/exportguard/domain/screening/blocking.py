"""Candidate retrieval: which indexed names could possibly match a query, without scoring them all.

OpenSanctions measured that retrieval recall matters as much as the scorer (the best match was in
its index's top 10 only 63% of the time). Here a name is reachable through the keys of each of
its distinctive parts (:func:`names.part_keys`: the consonant skeleton, every skeleton with one
consonant dropped, the given-name group) and of each pair of adjacent parts written as one word.
Two skeletons one consonant apart (a typo, a missing, extra or swapped letter) share a key.

The scorer matches two distinctive parts only when they share a key (or are identical, or name
variants, which share one too), so a name sharing no key with the query has no matched word and
cannot score above ``SINGLE_PART_CAP``; :meth:`NameBlocks.candidates` prunes only names whose
best possible score, worked out from what is shared (:func:`best_possible`), is under the
threshold. A property test checks this bound against the scorer on random names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from exportguard.domain.screening.arithmetic import (
    CONFLICT_COST,
    PARTIAL_BASE,
    PARTIAL_SLOPE,
    SINGLE_PART_CAP,
)
from exportguard.domain.screening.names import NamePart, ParsedName, PartKind
from exportguard.domain.screening.scorer import EXTRA_COST

_KEYED = (PartKind.WORD, PartKind.GENERIC)
# A key fewer names than this carry is a rare one: sharing it ranks a candidate first.
RARE_POSTING = 200
JOINED = "+"  # keys of two adjacent parts read as one word


def keyed_parts(name: ParsedName) -> list[NamePart]:
    parts = [p for p in name.parts if p.kind in _KEYED]
    # A name of particles and initials only ("N.N.") is still reachable through them.
    return parts or list(name.parts)


def _join_keys(name: ParsedName) -> list[frozenset[str]]:
    """Keys of every pair of adjacent parts written as one word (the scorer may join any two)."""
    return [p.keys for p in name.joins]


@dataclass(frozen=True, slots=True)
class Shape:
    """What the bound needs of a name: its distinctive parts and its initials."""

    keyed: int
    lightest: float  # the smallest weight among the distinctive parts
    initials: int
    parts: int

    @classmethod
    def of(cls, name: ParsedName) -> Shape:
        parts = keyed_parts(name)
        return cls(
            len(parts),
            min((p.weight for p in parts), default=1.0),
            sum(1 for p in name.parts if p.kind is PartKind.INITIAL),
            len(name.parts),
        )


def best_possible(  # noqa: PLR0917 - the two shapes, the three kinds of hits, the evidence
    query: Shape,
    other: Shape,
    parts_hit: int,
    joins_hit: int,
    evidence: float = 2.0,
    other_joins_hit: int = 0,
    units: int | None = None,
) -> float:
    """An upper bound of the score of two names, from how many query units share a key with the
    other name: ``parts_hit`` query parts with one of its parts, ``other_joins_hit`` query parts
    with two of its adjacent parts read as one word, ``joins_hit`` two adjacent query parts read
    as one word with one or two of its parts; ``units`` how many query parts and joins share a
    key at all (a part hitting both a part and a join of the other name is one unit).

    Only parts sharing a key can pair up as words; a part sharing none is left over unless an
    initial on the other side stands for it. Similarities, caps and order costs only lower a score,
    so they are taken at their best. ``evidence`` is the most the matched words can add up to
    (the rarest query parts that could be hit, and what a birth date or country could add):
    when something is surely left over, the partial-name limit holds with it.
    """
    if units is None:
        units = parts_hit + joins_hit + other_joins_hit
    query_covered = parts_hit + other_joins_hit + 2 * joins_hit
    other_covered = parts_hit + 2 * other_joins_hit + 2 * joins_hit
    query_left = max(0, query.keyed - query_covered - other.initials) * query.lightest
    other_left = max(0, other.keyed - other_covered - query.initials) * other.lightest
    # At most one word pair: the single-word limit holds unless nothing at all is left over.
    if units == 0 or (units == 1 and (query_left > 0 or other_left > 0)):
        return SINGLE_PART_CAP
    matched = float(min(query.parts, other.parts))  # pairs, each of weight 1 at most
    conflict = min(query_left, other_left)
    extra = abs(query_left - other_left)
    bound = matched / (matched + CONFLICT_COST * conflict + EXTRA_COST * extra)
    if query_left > 0 or other_left > 0:
        return min(bound, PARTIAL_BASE + PARTIAL_SLOPE * evidence)
    return bound


class NameBlocks:
    """An inverted index from part keys to the numbers of the names that have them."""

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = {}
        self._shapes: list[Shape] = []
        # Names by how many distinctive parts they have (at most 1, 2, 3, 4), and those with
        # initials: the sets a query hit through one part only is checked against (see below).
        self._keyed_at_most: list[set[int]] = [set() for _ in range(5)]
        self._with_initials: set[int] = set()

    def add(self, name: ParsedName) -> int:
        number = len(self._shapes)
        parts = keyed_parts(name)
        shape = Shape.of(name)
        self._shapes.append(shape)
        for size in range(shape.keyed, len(self._keyed_at_most)):
            self._keyed_at_most[size].add(number)
        if shape.initials:
            self._with_initials.add(number)
        keys: set[str] = set()
        for part in parts:
            keys |= part.keys
        for join_keys in _join_keys(name):  # apart, so that a hit tells a part from a join
            keys.update(JOINED + key for key in join_keys)
        for key in keys:
            self._postings.setdefault(key, []).append(number)
        return number

    def extend(self, names: Iterable[ParsedName]) -> None:
        for name in names:
            self.add(name)

    def __len__(self) -> int:
        return len(self._shapes)

    def _hits(self, keys: Iterable[Iterable[str]], rare: Counter[int]) -> Counter[int]:
        """How many of the units share a key with each name; ``rare`` counts those sharing a
        key few names have (retrieval's ranking when there are too many candidates)."""
        hits: Counter[int] = Counter()
        for unit_keys in keys:
            found: set[int] = set()
            rarely: set[int] = set()
            for key in unit_keys:
                posting = self._postings.get(key)
                if posting:
                    found.update(posting)
                    if len(posting) <= RARE_POSTING:
                        rarely.update(posting)
            hits.update(found)
            rare.update(rarely)
        return hits

    def _single_unit_survivors(self, query: Shape, units: Counter[int], joins: Counter[int]) -> list[int]:
        """Names sharing a key with one query unit only that :func:`best_possible` would keep:
        nothing may be left over on either side (else the single-word limit holds), so the name
        has at most ``2 + query initials`` distinctive parts and the query at most one or two
        (a join) plus the name's initials. Worked out with set operations, not name by name."""
        single = {n for n, count in units.items() if count == 1}
        small = self._keyed_at_most[min(2 + query.initials, len(self._keyed_at_most) - 1)]
        if query.initials + 2 >= len(self._keyed_at_most):
            small = single
        survivors = single & small
        if query.keyed <= 1:
            return list(survivors)
        through_join = {n for n in survivors if joins[n]} if query.keyed == 2 else set()
        return list(through_join | (survivors & self._with_initials))

    def candidates(
        self,
        name: ParsedName,
        limit: int,
        min_score: float = 0.0,
        evidence: Callable[[NamePart], float] | None = None,
        added_evidence: float = 1.5,
    ) -> list[int]:
        """Names that could score ``min_score`` against ``name``; past ``limit``, those sharing
        the rarest keys and the most parts first. ``evidence`` is the scorer's rarity of a part
        (``Rarity.evidence``, 1 for every part without it); ``added_evidence`` the most a birth
        date and country could add."""
        parts = keyed_parts(name)
        rare: Counter[int] = Counter()
        joined_keys = [[JOINED + k for k in p.keys] for p in parts]
        part_hits = self._hits((p.keys for p in parts), rare)
        other_join_hits = self._hits(joined_keys, Counter())
        part_units = self._hits((p.keys | set(k) for p, k in zip(parts, joined_keys, strict=True)), Counter())
        join_hits = (
            self._hits((keys | {JOINED + k for k in keys} for keys in _join_keys(name)), rare)
            if len(name.parts) > 1
            else Counter()
        )
        shape = Shape.of(name)
        shapes = self._shapes
        units = part_units.copy()
        units.update(join_hits)
        chosen = [n for n, count in units.items() if count > 1]
        if min_score <= SINGLE_PART_CAP:
            chosen.extend(n for n, count in units.items() if count == 1)
        else:
            chosen.extend(self._single_unit_survivors(shape, units, join_hits))
        # The most evidence p hit parts and j hit joins can bring: the p rarest parts, 1 a join.
        rarest = sorted((evidence(p) if evidence else 1.0 for p in parts), reverse=True)
        most = [added_evidence + sum(rarest[:count]) for count in range(len(rarest) + 1)]
        chosen = [
            n
            for n in chosen
            if best_possible(
                shape,
                shapes[n],
                part_hits[n],
                join_hits[n],
                most[min(part_hits[n] + other_join_hits[n], len(parts))] + join_hits[n],
                other_join_hits[n],
                units[n],
            )
            >= min_score
        ]
        if len(chosen) > limit:
            chosen.sort(key=lambda n: (-rare[n], -units[n], abs(shapes[n].keyed - shape.keyed)))
            del chosen[limit:]
        return chosen
