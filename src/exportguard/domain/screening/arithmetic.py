"""The arithmetic of a name score, kept as numbers a reader can redo by hand.

    name quality  = sum(weight x similarity) / sum(weight)            over matched pairs
    coverage      = matched / (matched + 2 x conflicting + extra cost x extra)
    raw           = name quality x coverage
    limit         = 0.70 when at most one word matched and parts are left over, or when no word
                    matched at all (initials alone: J. K. / John Kane), whatever else agrees;
                    0.55 + 0.15 x evidence when parts are left over (a partial name), or
                    matched only as "alike" or by a doubtful typo (two edits), where
                    evidence adds each matched word's rarity, and a birth date or country that
                    agrees (``matcher``) adds more
    name score    = min(raw, limit) - order cost - legal-form conflict
    score         = name score - what birth date, country and kind of party take off

*Conflicting* is the weight of parts left over on both sides (a different surname), plus a
quarter of each pair matched only as "alike"; *extra* the weight only one side has beyond that
(an omitted middle name).
"""

from __future__ import annotations

from dataclasses import dataclass

CONFLICT_COST = 2.0
# A single matched word among several is weak evidence (Walijan vs Walijan Abdul Ghafoor Haqqani).
SINGLE_PART_CAP = 0.7
# A partial name (parts left over) needs evidence: two common parts out of four stay under the
# threshold; two rare ones, or common ones with an agreeing birth date, reach it.
PARTIAL_BASE = 0.55
PARTIAL_SLOPE = 0.15


@dataclass(frozen=True, slots=True)
class Arithmetic:
    """Every number the score is made of."""

    weighted_similarity: float  # sum of weight x similarity over matched pairs
    matched: float  # sum of the matched pairs' weights
    conflict: float
    extra: float
    extra_cost: float
    evidence: float  # rarity-weighted count of matched words
    partial: bool  # parts left over, so the evidence limit applies
    single_word: bool  # one matched word only, with parts left over
    order_cost: float
    legal_form_cost: float

    @property
    def quality(self) -> float:
        return self.weighted_similarity / self.matched if self.matched else 0.0

    @property
    def coverage(self) -> float:
        if not self.matched:
            return 0.0
        return self.matched / (self.matched + CONFLICT_COST * self.conflict + self.extra_cost * self.extra)

    @property
    def raw(self) -> float:
        return self.quality * self.coverage

    def limit(self, added_evidence: float = 0.0) -> float | None:
        """The cap on a partial name, given evidence from outside the name (birth date, country)."""
        caps = []
        if self.single_word:
            caps.append(SINGLE_PART_CAP)
        if self.partial:
            caps.append(min(1.0, PARTIAL_BASE + PARTIAL_SLOPE * (self.evidence + added_evidence)))
        return min(caps) if caps else None

    def name_score(self, added_evidence: float = 0.0) -> float:
        limit = self.limit(added_evidence)
        capped = self.raw if limit is None else min(self.raw, limit)
        return max(0.0, capped - self.order_cost - self.legal_form_cost)

    def describe(self, added_evidence: float = 0.0) -> list[str]:
        """The sums in words, one clause each."""
        text = [
            f"name {self.quality:.3f} = {self.weighted_similarity:.3f} / {self.matched:.3f} weight matched",
            f"coverage {self.coverage:.3f} = {self.matched:.3f} / ({self.matched:.3f} + "
            f"{CONFLICT_COST:g} x {self.conflict:.3f} conflicting + {self.extra_cost:g} x "
            f"{self.extra:.3f} extra)",
            f"raw {self.raw:.3f} = name x coverage",
        ]
        limit = self.limit(added_evidence)
        if limit is not None:
            reason = (
                "one word matched among several"
                if limit == SINGLE_PART_CAP and self.single_word
                else f"partial name, evidence {self.evidence + added_evidence:.2f}"
            )
            text.append(f"limit {limit:.3f} ({reason})")
        if self.order_cost:
            text.append(f"order -{self.order_cost:g}")
        if self.legal_form_cost:
            text.append(f"different legal forms -{self.legal_form_cost:g}")
        return text
