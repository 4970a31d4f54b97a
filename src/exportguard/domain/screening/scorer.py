"""Score two names part by part, so that every score can be read back as which part matched which.

The score is symmetric (screening a party against an entry gives what screening the entry against
the party gives), which is what lets re-screening run in reverse on list changes.

Word order is free (lists write "AL-ZAWAHIRI, Ayman"); what lowers a score is a part on each side
that matches nothing on the other (a *conflict*: a different surname, a different given name),
much more than a part only one side has (an omitted middle name or patronymic). The sums are in
:mod:`~exportguard.domain.screening.arithmetic`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from exportguard.domain.screening.arithmetic import Arithmetic
from exportguard.domain.screening.entries import Schema
from exportguard.domain.screening.names import NamePart, ParsedName, PartKind
from exportguard.domain.screening.parts import (
    IDENTICAL,
    INITIAL,
    MIN_PART_SIMILARITY,
    NAME_VARIANT,
    TRANSLITERATION,
    compare_parts,
    doubtful,
)
from exportguard.domain.screening.rarity import GIVEN_NAME_EVIDENCE, NO_POPULATION, Rarity
from exportguard.domain.screening.vocabulary import DISTINCTIVE_LEGAL_FORMS

EXTRA_COST = 0.2
# An organisation's extra distinctive word usually names a different company (Bowne Litigation
# Solutions); a person's extra part is usually an omitted middle name or patronymic.
ORGANISATION_EXTRA_COST = 0.4
LEGAL_FORM_CONFLICT_COST = 0.1
# Two left-over parts this alike (and sharing a retrieval key) are a garbled part rather than a
# different one: they pair up at a low similarity instead of counting as a conflict.
WEAK_PAIR_MIN = 0.7
WEAK_PAIR_SIMILARITY = 0.25
# ... and still count as a quarter of a conflict: Mohamed / Ahmed is a garbled part or another man.
WEAK_PAIR_CONFLICT = 0.25
WEAK = "alike"
# A doubtful typo match (two edits, or one in a short word) is this much of a part's evidence.
DOUBTFUL_EVIDENCE = 0.5
# Matched parts in a different order: lists write "SURNAME, Given", so this costs little, except
# around a patronymic particle, where order tells father from son (Salman bin Muhammad).
ORDER_COST = 0.03
PATRONYMIC_ORDER_COST = 0.3
_PATRONYMIC = frozenset({"bin", "ibn", "bint", "ben", "ould", "binti"})
_EVIDENCE_KINDS = (PartKind.WORD,)


@dataclass(frozen=True, slots=True)
class PartPair:
    left: NamePart
    right: NamePart
    similarity: float
    how: str
    evidence: float = 1.0  # what the match says about identity (rarity, given name), in [0, 1]

    @property
    def weight(self) -> float:
        return (self.left.weight + self.right.weight) / 2

    @property
    def is_word_pair(self) -> bool:
        return self.left.kind in _EVIDENCE_KINDS and self.right.kind in _EVIDENCE_KINDS

    def describe(self) -> str:
        sign = "=" if self.how == IDENTICAL else "~"
        numbers = [self.how if self.how == IDENTICAL else f"{self.how} {self.similarity:.2f}"]
        if self.weight != 1.0:
            numbers.append(f"weight {self.weight:g}")
        if self.is_word_pair:
            numbers.append(f"evidence {self.evidence:.2f}")
        return f"{self.left.shown}{sign}{self.right.shown} ({', '.join(numbers)})"


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float
    pairs: tuple[PartPair, ...]
    left_only: tuple[NamePart, ...]
    right_only: tuple[NamePart, ...]
    arithmetic: Arithmetic

    def describe_parts(self) -> str:
        text = ", ".join(p.describe() for p in self.pairs) or "no part matched"
        if self.left_only:
            text += "; only in query: " + " ".join(_left_over(p) for p in self.left_only)
        if self.right_only:
            text += "; only in list: " + " ".join(_left_over(p) for p in self.right_only)
        return text

    def describe(self) -> str:
        return "; ".join([self.describe_parts(), *self.arithmetic.describe()])


def _left_over(part: NamePart) -> str:
    return part.shown if part.weight == 1.0 else f"{part.shown} (weight {part.weight:g})"


def _merge_split_parts(
    parts: tuple[NamePart, ...],
    joins: tuple[NamePart, ...],
    other: tuple[NamePart, ...],
    other_joins: tuple[NamePart, ...],
) -> tuple[NamePart, ...]:
    """Join adjacent parts when the other name writes them as one word, or joins the same two
    words elsewhere (Myongc-hin / Myong Chin), or reads as them from an abjad script."""
    if len(parts) < 2 or len(joins) != len(parts) - 1:
        return parts
    other_texts = {p.text for p in other}
    other_folded = {p.folded for p in other} | {p.folded for p in other_joins}
    merged: list[NamePart] = []
    index = 0
    while index < len(parts):
        if index + 1 < len(parts) and _joins_up(
            parts[index], parts[index + 1], joins[index], other, other_texts, other_folded
        ):
            merged.append(joins[index])
            index += 2
            continue
        merged.append(parts[index])
        index += 1
    return tuple(merged) if len(merged) < len(parts) else parts


def _joins_up(  # noqa: PLR0917 - the pair, its join, and the other name three ways
    first: NamePart,
    second: NamePart,
    join: NamePart,
    other: tuple[NamePart, ...],
    texts: set[str],
    folded: set[str],
) -> bool:
    if first.text in texts or second.text in texts or first.folded in folded or second.folded in folded:
        return False
    if join.text in texts or (len(join.skeleton) >= 3 and join.folded in folded):
        return True
    # Across scripts: نصر الله / Nasrallah, or Abdul Rahman / عبدالرحمن.
    return any(
        (o.pattern is None) != (join.pattern is None)
        and o.kind is PartKind.WORD
        and compare_parts(join, o)[1] == TRANSLITERATION
        for o in other
    )


def compare_names(left: ParsedName, right: ParsedName, rarity: Rarity = NO_POPULATION) -> NameComparison:
    """Pair the parts of two names greedily by similarity and score what is left unexplained."""
    if (
        left.abjad == right.abjad
        and left.joined_spellings.isdisjoint(right.spellings)
        and (right.joined_spellings.isdisjoint(left.spellings))
    ):
        left_parts, right_parts = left.parts, right.parts  # nothing written as one word on one side only
    else:
        left_parts = _merge_split_parts(left.parts, left.joins, right.parts, right.joins)
        right_parts = _merge_split_parts(right.parts, right.joins, left_parts, left.joins)
    candidates: list[tuple[float, int, int, str]] = []
    for i, a in enumerate(left_parts):
        for j, b in enumerate(right_parts):
            similarity, how = compare_parts(a, b)
            if similarity >= MIN_PART_SIMILARITY:
                candidates.append((similarity, i, j, how))
    # Ties go to parts in like positions, a rule that reads the same from either side.
    candidates.sort(key=lambda c: (-c[0], abs(c[1] - c[2]), c[1] + c[2]))
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[PartPair] = []
    positions: list[tuple[int, int]] = []
    for similarity, i, j, how in candidates:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        positions.append((i, j))
        a, b = left_parts[i], right_parts[j]
        pairs.append(PartPair(a, b, similarity, how, _evidence(a, b, how, rarity)))
    pairs.extend(_weak_pairs(left_parts, right_parts, used_left, used_right, positions))
    left_only = tuple(p for i, p in enumerate(left_parts) if i not in used_left)
    right_only = tuple(p for j, p in enumerate(right_parts) if j not in used_right)
    organisation = Schema.PERSON not in (left.schema, right.schema) and (
        left.legal_forms or right.legal_forms or Schema.ORGANISATION in (left.schema, right.schema)
    )
    left_forms = DISTINCTIVE_LEGAL_FORMS.intersection(left.legal_forms)
    right_forms = DISTINCTIVE_LEGAL_FORMS.intersection(right.legal_forms)
    legal_cost = (
        LEGAL_FORM_CONFLICT_COST if left_forms and right_forms and not left_forms & right_forms else 0.0
    )
    sums = _arithmetic(
        pairs,
        left_only,
        right_only,
        ORGANISATION_EXTRA_COST if organisation else EXTRA_COST,
        _order_penalty(positions, left_parts, right_parts),
        legal_cost,
    )
    return NameComparison(sums.name_score(), tuple(pairs), left_only, right_only, sums)


def _evidence(a: NamePart, b: NamePart, how: str, rarity: Rarity) -> float:
    evidence = min(rarity.evidence(a), rarity.evidence(b))
    if how == NAME_VARIANT:
        evidence = min(evidence, GIVEN_NAME_EVIDENCE)
    if doubtful(how, a, b):
        evidence *= DOUBTFUL_EVIDENCE
    return evidence


def _weak_pairs(
    left: tuple[NamePart, ...],
    right: tuple[NamePart, ...],
    used_left: set[int],
    used_right: set[int],
    positions: list[tuple[int, int]],
) -> list[PartPair]:
    found: list[tuple[float, int, int]] = []
    for i, a in enumerate(left):
        if i in used_left or a.kind is not PartKind.WORD:
            continue
        for j, b in enumerate(right):
            if j in used_right or b.kind is not PartKind.WORD or a.keys.isdisjoint(b.keys):
                continue
            likeness = Indel.normalized_similarity(a.skeleton, b.skeleton)
            if likeness >= WEAK_PAIR_MIN:
                found.append((likeness, i, j))
    pairs: list[PartPair] = []
    for likeness, i, j in sorted(found, reverse=True):
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        positions.append((i, j))
        pairs.append(PartPair(left[i], right[j], WEAK_PAIR_SIMILARITY, f"{WEAK} {likeness:.2f}", 0.0))
    return pairs


def _roles(parts: tuple[NamePart, ...]) -> dict[int, str]:
    """Which positions stand just before ("son") and just after ("father") a patronymic particle."""
    roles: dict[int, str] = {}
    for i, part in enumerate(parts):
        if part.text in _PATRONYMIC:
            if i > 0:
                roles[i - 1] = "son"
            if i + 1 < len(parts):
                roles[i + 1] = "father"
    return roles


def _order_penalty(
    positions: list[tuple[int, int]], left: tuple[NamePart, ...], right: tuple[NamePart, ...]
) -> float:
    """Matched parts in another order cost a little; a son matched to a father costs much."""
    if any(p.text in _PATRONYMIC for p in left) and any(p.text in _PATRONYMIC for p in right):
        left_roles, right_roles = _roles(left), _roles(right)
        for i, j in positions:
            if {left_roles.get(i), right_roles.get(j)} == {"son", "father"}:
                return PATRONYMIC_ORDER_COST
    order = [
        j for i, j in sorted(positions) if left[i].kind is PartKind.WORD and right[j].kind is PartKind.WORD
    ]
    inverted = any(order[k] > order[k + 1] for k in range(len(order) - 1))
    return ORDER_COST if inverted else 0.0


def _arithmetic(  # noqa: PLR0917 - every ingredient of the sums, named
    pairs: list[PartPair],
    left_only: tuple[NamePart, ...],
    right_only: tuple[NamePart, ...],
    extra_cost: float,
    order_cost: float,
    legal_form_cost: float,
) -> Arithmetic:
    unexplained_left = sum(p.weight for p in left_only)
    unexplained_right = sum(p.weight for p in right_only)
    word_pairs = [p for p in pairs if p.is_word_pair]
    strong = sum(1 for p in word_pairs if p.similarity >= MIN_PART_SIMILARITY)
    left_over = any(p.kind in (PartKind.WORD, PartKind.GENERIC) for p in (*left_only, *right_only)) or any(
        p.how.startswith(WEAK) or doubtful(p.how, p.left, p.right) for p in pairs
    )
    return Arithmetic(
        weighted_similarity=sum(p.weight * p.similarity for p in pairs),
        matched=sum(p.weight for p in pairs),
        conflict=min(unexplained_left, unexplained_right)
        + WEAK_PAIR_CONFLICT * sum(p.weight for p in pairs if p.how.startswith(WEAK)),
        extra=abs(unexplained_left - unexplained_right),
        extra_cost=extra_cost,
        evidence=sum(p.evidence for p in word_pairs),
        partial=left_over,
        single_word=strong <= 1
        and (bool(left_only or right_only) or (strong == 0 and any(p.how == INITIAL for p in pairs))),
        order_cost=order_cost,
        legal_form_cost=legal_form_cost,
    )
