"""Score a party against a list entry: best name, then what date of birth, country and kind say.

Birth date, country and kind never raise the similarity of two names. Users of screening tools
complain of weak name matches pulled up by a matching birth date; here a differing date, country
or kind takes points off, and an agreeing one only counts as *evidence* for a partial name (parts
left over), lifting the limit such a name is held to (see :mod:`.arithmetic`). Each adjustment is
named in the explanation, next to the name parts that matched, so the score can be redone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from exportguard.domain.screening.entries import ListEntry, PartialDate, PartyQuery, Schema
from exportguard.domain.screening.names import ParsedName
from exportguard.domain.screening.rarity import NO_POPULATION, Rarity
from exportguard.domain.screening.scorer import NameComparison, compare_names

# Recorded with every result so that a past decision can be explained and replayed.
ALGORITHM = "exportguard-names"
ALGORITHM_VERSION = "2"
DEFAULT_THRESHOLD = 0.75

BIRTH_DATE_CONFLICT = 0.2
BIRTH_YEAR_NEAR = 0.05
COUNTRY_CONFLICT = 0.1
SCHEMA_CONFLICT = 0.3
# Evidence an agreeing birth date or country adds to a partial name (a rare matched word adds 1).
BIRTH_DATE_EVIDENCE = 1.0
COUNTRY_EVIDENCE = 0.5


class Named(Protocol):
    """Anything screened or screened against: a list entry or a party."""

    @property
    def schema(self) -> Schema: ...
    @property
    def countries(self) -> frozenset[str]: ...


@dataclass(frozen=True)
class Hit:
    """One list entry a party may be, with everything a reviewer needs to judge it."""

    entry: ListEntry
    score: float
    name_score: float
    matched_name: str
    comparison: NameComparison
    adjustments: tuple[str, ...]
    penalty: float = 0.0
    added_evidence: float = 0.0
    threshold: float = DEFAULT_THRESHOLD

    def rebuild(self) -> float:
        """The score redone from the explanation's numbers alone."""
        return round(max(0.0, self.comparison.arithmetic.name_score(self.added_evidence) - self.penalty), 4)

    @property
    def explanation(self) -> str:
        """Which listed name, which part matched which and how, what was left over, the sums,
        what birth date, country and kind added or took off, and the threshold."""
        comparison = self.comparison
        parts = [f"listed name {self.matched_name!r}: {comparison.describe_parts()}"]
        if not comparison.left_only and not comparison.right_only:
            parts[0] += " (all parts matched)"
        parts.extend(comparison.arithmetic.describe(self.added_evidence))
        parts.extend(self.adjustments)
        verdict = "at or above" if self.score >= self.threshold else "below"
        parts.append(
            f"score {self.score:.3f} = name score {self.name_score:.3f} - {self.penalty:g} "
            f"({verdict} threshold {self.threshold:g})"
        )
        return "; ".join(parts)


def _dates_agree(a: PartialDate, b: PartialDate) -> bool:
    if a.year != b.year:
        return False
    if a.month is not None and b.month is not None and a.month != b.month:
        return False
    return a.day is None or b.day is None or a.day == b.day


def _birth_adjustment(date: PartialDate | None, dates: tuple[PartialDate, ...]) -> tuple[float, str]:
    if date is None or not dates:
        return 0.0, ""
    if any(_dates_agree(date, d) for d in dates):
        return 0.0, f"birth date {date} agrees"
    listed = ", ".join(str(d) for d in dates[:3])
    if any(abs(date.year - d.year) <= 1 for d in dates):
        return BIRTH_YEAR_NEAR, f"birth date {date} near listed {listed} (-{BIRTH_YEAR_NEAR})"
    return BIRTH_DATE_CONFLICT, f"birth date {date} differs from {listed} (-{BIRTH_DATE_CONFLICT})"


def context_adjustments(query: PartyQuery, entry: ListEntry) -> tuple[float, float, list[str]]:
    """What birth date, country and kind of party take off a name score or add as evidence."""
    penalty, evidence, notes = 0.0, 0.0, []
    if Schema.UNKNOWN not in (query.schema, entry.schema) and query.schema != entry.schema:
        penalty += SCHEMA_CONFLICT
        notes.append(f"{query.schema} against listed {entry.schema} (-{SCHEMA_CONFLICT})")
    if entry.schema is Schema.PERSON or entry.schema is Schema.UNKNOWN:
        cost, note = _birth_adjustment(query.birth_date, entry.birth_dates)
        penalty += cost
        if note.endswith("agrees"):
            evidence += BIRTH_DATE_EVIDENCE
            note += f" (+{BIRTH_DATE_EVIDENCE:g} evidence)"
        if note:
            notes.append(note)
    if query.countries and entry.countries:
        if query.countries & entry.countries:
            evidence += COUNTRY_EVIDENCE
            notes.append(
                "country "
                + ", ".join(sorted(query.countries & entry.countries))
                + f" agrees (+{COUNTRY_EVIDENCE:g} evidence)"
            )
        else:
            penalty += COUNTRY_CONFLICT
            notes.append(
                f"country {', '.join(sorted(query.countries))} not among listed "
                f"{', '.join(sorted(entry.countries))} (-{COUNTRY_CONFLICT})"
            )
    return penalty, evidence, notes


def best_hit(
    query: PartyQuery,
    query_name: ParsedName,
    entry: ListEntry,
    entry_names: list[ParsedName],
    *,
    rarity: Rarity = NO_POPULATION,
    threshold: float = DEFAULT_THRESHOLD,
) -> Hit:
    """The entry's name that matches best, adjusted by birth date, country and kind."""
    penalty, evidence, notes = context_adjustments(query, entry)
    best: tuple[float, NameComparison, ParsedName] | None = None
    for name in entry_names:
        comparison = compare_names(query_name, name, rarity)
        name_score = comparison.arithmetic.name_score(evidence)
        if best is None or name_score > best[0]:
            best = (name_score, comparison, name)
    if best is None:
        raise ValueError(f"entry {entry.entry_id} has no name")
    name_score, comparison, name = best
    score = max(0.0, name_score - penalty)
    return Hit(
        entry,
        round(score, 4),
        round(name_score, 4),
        name.original,
        comparison,
        tuple(notes),
        round(penalty, 4),
        evidence,
        threshold,
    )
