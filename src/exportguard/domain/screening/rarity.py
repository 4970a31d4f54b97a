"""How much a matched name part says about identity: rare parts say much, common ones little.

Two sources: how many listed names carry the part (Muhammad, Ali, Kim and Li are on hundreds of
them), and whether it is a known given name (John, Juan, Ivan: shared by millions, whatever the
list holds). A matched part's *evidence* is a factor in [``FLOOR``, 1]; it matters only when some
parts are left over (a partial name), never when every part of both names matched.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from exportguard.domain.screening.names import NamePart, ParsedName, PartKind

FLOOR = 0.3
# Evidence of a part no listed name carries is 1; it falls by SLOPE per doubling of the count.
_START = 1.15
_SLOPE = 0.1
# A known given name (or one matched only as its cognate) is weaker evidence than a family name.
GIVEN_NAME_EVIDENCE = 0.6


class Rarity:
    """Counts of folded name parts over a population of names (the indexed list entries)."""

    def __init__(self, names: Iterable[ParsedName] = ()) -> None:
        self._counts: Counter[str] = Counter()
        for name in names:
            self.add(name)

    def add(self, name: ParsedName) -> None:
        self._counts.update({p.folded for p in name.parts if p.kind is PartKind.WORD})

    def count(self, part: NamePart) -> int:
        return self._counts.get(part.folded, 0)

    def evidence(self, part: NamePart) -> float:
        """The part's weight as evidence of identity, in [FLOOR, 1]."""
        factor = min(1.0, _START - _SLOPE * math.log2(1 + self.count(part)))
        if part.variant is not None:
            factor = min(factor, GIVEN_NAME_EVIDENCE)
        return max(FLOOR, factor)


# Comparisons made outside an index (a pair of names) know only the given-name vocabulary.
NO_POPULATION = Rarity()
