"""Following an append-only table by its ids when ids are handed out before commit.

A slow transaction (a bulk act) can commit rows whose ids are below ids another transaction has
already committed. A reader that only asks for ``id > highest seen`` would miss them, so the ids
skipped are kept as gaps (ranges, each with when it was first missed) and asked for again until
they appear, or until ``ttl`` seconds pass: a rolled-back transaction's ids never appear.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

Gap = tuple[int, int, float]  # ids lo < id < hi not seen yet, first missed at


def advance(
    mark: int, gaps: Sequence[Gap], seen: Sequence[int], now: float, *, ttl: float, most: int = 100
) -> tuple[int, list[Gap]]:
    """The new highest id seen and the gaps left, after reading ``seen`` (sorted) as the ids
    above ``mark`` or inside ``gaps``. More than ``most`` gaps are merged into one range."""
    top = max([mark, *seen])
    holes: list[Gap] = []
    for lo, hi, since in [*gaps, (mark, top + 1, now)]:
        edges = [lo, *seen[bisect.bisect_right(seen, lo) : bisect.bisect_left(seen, hi)], hi]
        holes += [(a, b, since) for a, b in itertools.pairwise(edges) if b - a > 1]
    holes = [h for h in holes if now - h[2] < ttl]
    if len(holes) > most:
        holes = [(min(h[0] for h in holes), max(h[1] for h in holes), min(h[2] for h in holes))]
    return top, holes
