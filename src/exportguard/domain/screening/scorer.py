"""Score two names part by part, so that every score can be read back as which part matched which.

The score is symmetric (screening a party against an entry gives what screening the entry against
the party gives), which is what lets re-screening run in reverse on list changes.

Word order is free (lists write "AL-ZAWAHIRI, Ayman"); what lowers a score is a part on each side
that matches nothing on the other (a *conflict*: a different surname, a different given name),
much more than a part only one side has (an omitted middle name or patronymic).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from exportguard.domain.screening.entries import Schema
from exportguard.domain.screening.names import NamePart, ParsedName, PartKind
from exportguard.domain.screening.parts import MIN_PART_SIMILARITY, compare_parts, joined
from exportguard.domain.screening.vocabulary import DISTINCTIVE_LEGAL_FORMS

# Cost of unexplained parts, relative to the weight of matched parts.
CONFLICT_COST = 2.0
EXTRA_COST = 0.2
# An organisation's extra distinctive word usually names a different company (Bowne Litigation
# Solutions); a person's extra part is usually an omitted middle name or patronymic.
ORGANISATION_EXTRA_COST = 0.4
LEGAL_FORM_CONFLICT_COST = 0.1
# Two left-over parts this alike are a garbled part rather than a different one (Macron/Marcon,
# Rost/Troost): they pair up at a low similarity instead of counting as a conflict.
WEAK_PAIR_MIN = 0.7
WEAK_PAIR_SIMILARITY = 0.25
# Matched parts in a different order: lists write "SURNAME, Given", so this costs little, except
# around a patronymic particle, where order tells father from son (Salman bin Muhammad).
ORDER_COST = 0.03
PATRONYMIC_ORDER_COST = 0.3
_PATRONYMIC = frozenset({"bin", "ibn", "bint", "ben", "ould", "binti"})
# A single matched word among several is weak evidence (Walijan vs Walijan Abdul Ghafoor Haqqani).
SINGLE_PART_CAP = 0.7


@dataclass(frozen=True, slots=True)
class PartPair:
    left: NamePart
    right: NamePart
    similarity: float
    how: str

    def describe(self) -> str:
        if self.how == "same":
            return f"{self.left.text}={self.right.text}"
        return f"{self.left.text}~{self.right.text} ({self.how}, {self.similarity:.2f})"


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float
    pairs: tuple[PartPair, ...]
    left_only: tuple[NamePart, ...]
    right_only: tuple[NamePart, ...]

    def describe(self) -> str:
        text = ", ".join(p.describe() for p in self.pairs) or "no part matched"
        if self.left_only:
            text += "; only in query: " + " ".join(p.text for p in self.left_only)
        if self.right_only:
            text += "; only in list: " + " ".join(p.text for p in self.right_only)
        return text


def _merge_split_parts(parts: tuple[NamePart, ...], other: tuple[NamePart, ...]) -> tuple[NamePart, ...]:
    """Join adjacent parts when the other name writes them as one word."""
    if len(parts) < 2:
        return parts
    other_texts = {p.text for p in other}
    other_skeletons = {p.skeleton for p in other if p.abjad}
    merged: list[NamePart] = []
    index = 0
    while index < len(parts):
        if index + 1 < len(parts):
            first, second = parts[index], parts[index + 1]
            if (
                first.text not in other_texts
                and second.text not in other_texts
                and (
                    first.text + second.text in other_texts
                    or (other_skeletons and _joined_skeleton_in(first, second, other_skeletons))
                )
            ):
                merged.append(joined(first, second))
                index += 2
                continue
        merged.append(parts[index])
        index += 1
    return tuple(merged) if len(merged) < len(parts) else parts


def _joined_skeleton_in(first: NamePart, second: NamePart, skeletons: set[str]) -> bool:
    candidate = joined(first, second)
    return len(candidate.skeleton) >= 3 and candidate.skeleton in skeletons


def compare_names(left: ParsedName, right: ParsedName) -> NameComparison:
    """Pair the parts of two names greedily by similarity and score what is left unexplained."""
    left_parts = _merge_split_parts(left.parts, right.parts)
    right_parts = _merge_split_parts(right.parts, left_parts)
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
    for similarity, i, j, how in candidates:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append(PartPair(left_parts[i], right_parts[j], similarity, how))
    pairs.extend(_weak_pairs(left_parts, right_parts, used_left, used_right))
    left_only = tuple(p for i, p in enumerate(left_parts) if i not in used_left)
    right_only = tuple(p for j, p in enumerate(right_parts) if j not in used_right)
    organisation = Schema.PERSON not in (left.schema, right.schema) and (
        left.legal_forms or right.legal_forms or Schema.ORGANISATION in (left.schema, right.schema)
    )
    extra_cost = ORGANISATION_EXTRA_COST if organisation else EXTRA_COST
    score = _score(pairs, left_only, right_only, extra_cost)
    score -= _order_penalty(pairs, left_parts, right_parts)
    left_forms = DISTINCTIVE_LEGAL_FORMS.intersection(left.legal_forms)
    right_forms = DISTINCTIVE_LEGAL_FORMS.intersection(right.legal_forms)
    if left_forms and right_forms and not left_forms & right_forms:
        score -= LEGAL_FORM_CONFLICT_COST
    return NameComparison(max(score, 0.0), tuple(pairs), left_only, right_only)


def _weak_pairs(
    left: tuple[NamePart, ...],
    right: tuple[NamePart, ...],
    used_left: set[int],
    used_right: set[int],
) -> list[PartPair]:
    found: list[tuple[float, int, int]] = []
    for i, a in enumerate(left):
        if i in used_left or a.kind is not PartKind.WORD:
            continue
        for j, b in enumerate(right):
            if j in used_right or b.kind is not PartKind.WORD:
                continue
            abjad = a.abjad or b.abjad
            likeness = Indel.normalized_similarity(
                a.skeleton if abjad else a.text, b.skeleton if abjad else b.text
            )
            if likeness >= WEAK_PAIR_MIN:
                found.append((likeness, i, j))
    pairs: list[PartPair] = []
    for likeness, i, j in sorted(found, reverse=True):
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append(PartPair(left[i], right[j], WEAK_PAIR_SIMILARITY, f"alike {likeness:.2f}"))
    return pairs


def _roles(parts: tuple[NamePart, ...]) -> dict[int, str]:
    """Which parts stand just before ("son") and just after ("father") a patronymic particle."""
    roles: dict[int, str] = {}
    for i, part in enumerate(parts):
        if part.text in _PATRONYMIC:
            if i > 0:
                roles[id(parts[i - 1])] = "son"
            if i + 1 < len(parts):
                roles[id(parts[i + 1])] = "father"
    return roles


def _order_penalty(pairs: list[PartPair], left: tuple[NamePart, ...], right: tuple[NamePart, ...]) -> float:
    """Matched parts in another order cost a little; a son matched to a father costs much."""
    left_roles, right_roles = _roles(left), _roles(right)
    for pair in pairs:
        roles = {left_roles.get(id(pair.left)), right_roles.get(id(pair.right))}
        if roles == {"son", "father"}:
            return PATRONYMIC_ORDER_COST
    left_pos = {id(p): i for i, p in enumerate(left)}
    right_pos = {id(p): j for j, p in enumerate(right)}
    order = [
        right_pos[id(p.right)]
        for p in sorted(pairs, key=lambda p: left_pos[id(p.left)])
        if p.left.kind is PartKind.WORD and p.right.kind is PartKind.WORD
    ]
    inverted = any(order[i] > order[j] for i in range(len(order)) for j in range(i + 1, len(order)))
    return ORDER_COST if inverted else 0.0


def _score(
    pairs: list[PartPair],
    left_only: tuple[NamePart, ...],
    right_only: tuple[NamePart, ...],
    extra_cost: float,
) -> float:
    matched = sum((p.left.weight + p.right.weight) / 2 for p in pairs)
    if matched == 0:
        return 0.0
    quality = sum((p.left.weight + p.right.weight) / 2 * p.similarity for p in pairs) / matched
    unexplained_left = sum(p.weight for p in left_only)
    unexplained_right = sum(p.weight for p in right_only)
    conflict = min(unexplained_left, unexplained_right)
    extra = abs(unexplained_left - unexplained_right)
    coverage = matched / (matched + CONFLICT_COST * conflict + extra_cost * extra)
    score = quality * coverage
    strong_pairs = sum(1 for p in pairs if p.left.kind is PartKind.WORD and p.right.kind is PartKind.WORD)
    if strong_pairs <= 1 and (left_only or right_only):
        score = min(score, SINGLE_PART_CAP)
    return score
