"""Candidate retrieval: which indexed names could possibly match a query, without scoring them all.

OpenSanctions measured that retrieval recall matters as much as the scorer (the best match was in
its index's top 10 only 63% of the time). Here a name is reachable through the consonant skeleton
of each part, through every skeleton with one consonant dropped (so a typo, a missing letter or a
swapped pair still shares a key), and through its given-name variant group (Ted / Theodore).

A candidate must share keys with enough parts of the query to reach the threshold at all: with
more than one distinctive part on each side, one matched part caps the score below any usable
threshold (see ``SINGLE_PART_CAP``), so such names are not scored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from exportguard.domain.screening.names import NamePart, ParsedName, PartKind
from exportguard.domain.screening.vocabulary import GIVEN_NAME_VARIANTS

_KEYED = (PartKind.WORD, PartKind.GENERIC)
# Shorter skeletons with a letter dropped collide with other names (mhmd -> hmd = Ahmad).
_MIN_DELETION_LENGTH = 5


def _deletions(skeleton: str) -> set[str]:
    return {skeleton[:i] + skeleton[i + 1 :] for i in range(len(skeleton))}


def part_keys(part: NamePart) -> set[str]:
    """Keys under which a part is indexed."""
    keys = {part.skeleton if len(part.skeleton) >= 2 else "=" + part.text}
    if len(part.skeleton) >= _MIN_DELETION_LENGTH:
        keys.update("-" + d for d in _deletions(part.skeleton))
    variant = GIVEN_NAME_VARIANTS.get(part.text)
    if variant is not None:
        keys.add(f"v{variant}")
    return keys


def query_keys(part: NamePart) -> set[str]:
    """Keys a query part looks up: its own, plus its deletions against indexed skeletons."""
    keys = part_keys(part)
    if len(part.skeleton) >= _MIN_DELETION_LENGTH:
        keys.update(_deletions(part.skeleton))
    if len(part.skeleton) >= _MIN_DELETION_LENGTH - 1:
        # The query lacks a letter an indexed part has: its skeleton is one of their deletions.
        keys.add("-" + part.skeleton)
    return keys


def keyed_parts(name: ParsedName) -> list[NamePart]:
    parts = [p for p in name.parts if p.kind in _KEYED]
    # A name of particles and initials only ("N.N.") is still reachable through them.
    return parts or list(name.parts)


BOUND_MARGIN = 0.1


def _best_possible(hits: int, size: int, other: int) -> float:
    shorter = min(size, other)
    unmatched = max(shorter - hits, 0)
    extra = abs(size - other)
    # Weak pairs score a quarter (scorer.WEAK_PAIR_SIMILARITY), extra parts cost 0.2 at least.
    return (hits + 0.25 * unmatched) / (hits + unmatched + 0.2 * extra)


class NameBlocks:
    """An inverted index from part keys to the numbers of the names that have them."""

    def __init__(self) -> None:
        self._postings: dict[str, list[int]] = {}
        self._strong_parts: list[int] = []

    def add(self, name: ParsedName) -> int:
        number = len(self._strong_parts)
        parts = keyed_parts(name)
        self._strong_parts.append(len(parts))
        keys: set[str] = set()
        for part in parts:
            keys |= part_keys(part)
        for key in keys:
            self._postings.setdefault(key, []).append(number)
        return number

    def extend(self, names: Iterable[ParsedName]) -> None:
        for name in names:
            self.add(name)

    def __len__(self) -> int:
        return len(self._strong_parts)

    def candidates(self, name: ParsedName, limit: int, min_score: float = 0.0) -> list[int]:
        """Names that could score ``min_score`` against ``name``, most shared parts first.

        A name's best possible score follows from how many parts share a key (``hits``): the
        parts of the shorter name that do not are at best weak pairs, and the longer name's
        extra parts cost at least the person's extra-part cost. ``BOUND_MARGIN`` absorbs what
        this count ignores (particles, half-weight generic words).
        """
        parts = keyed_parts(name)
        hits: Counter[int] = Counter()
        for part in parts:
            found: set[int] = set()
            for key in query_keys(part):
                posting = self._postings.get(key)
                if posting:
                    found.update(posting)
            hits.update(found)
        wanted = min(2, len(parts))
        strong = self._strong_parts
        size = len(parts)
        floor = min_score - BOUND_MARGIN
        chosen = [
            n
            for n, count in hits.items()
            if count >= min(wanted, strong[n]) and _best_possible(count, size, strong[n]) >= floor
        ]
        if len(chosen) > limit:
            chosen.sort(key=lambda n: (-hits[n], abs(strong[n] - len(parts))))
            del chosen[limit:]
        return chosen
