"""Score a party against a list entry: best name, then what date of birth, country and kind say.

Birth date, country and kind only ever *lower* a name score. Users of screening tools complain
of weak name matches pulled up by a matching birth date; here a date can only rule a hit out.
Each adjustment is named in the explanation, next to the name parts that matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from exportguard.domain.screening.entries import ListEntry, PartialDate, PartyQuery, Schema
from exportguard.domain.screening.names import ParsedName
from exportguard.domain.screening.scorer import NameComparison, compare_names

# Recorded with every result so that a past decision can be explained and replayed.
ALGORITHM = "exportguard-names"
ALGORITHM_VERSION = "1"
DEFAULT_THRESHOLD = 0.75

BIRTH_DATE_CONFLICT = 0.2
BIRTH_YEAR_NEAR = 0.05
COUNTRY_CONFLICT = 0.1
SCHEMA_CONFLICT = 0.3


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

    @property
    def explanation(self) -> str:
        parts = [f"name {self.matched_name!r} {self.name_score:.2f}: {self.comparison.describe()}"]
        if self.comparison.left_only == () and self.comparison.right_only == ():
            parts[0] += " (all parts matched)"
        parts.extend(self.adjustments)
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


def context_adjustments(query: PartyQuery, entry: ListEntry) -> tuple[float, list[str]]:
    """What birth date, country and kind of party take off a name score, and why."""
    penalty, notes = 0.0, []
    if Schema.UNKNOWN not in (query.schema, entry.schema) and query.schema != entry.schema:
        penalty += SCHEMA_CONFLICT
        notes.append(f"{query.schema} against listed {entry.schema} (-{SCHEMA_CONFLICT})")
    if entry.schema is Schema.PERSON or entry.schema is Schema.UNKNOWN:
        cost, note = _birth_adjustment(query.birth_date, entry.birth_dates)
        penalty += cost
        if note:
            notes.append(note)
    if query.countries and entry.countries:
        if query.countries & entry.countries:
            notes.append("country " + ", ".join(sorted(query.countries & entry.countries)) + " agrees")
        else:
            penalty += COUNTRY_CONFLICT
            notes.append(
                f"country {', '.join(sorted(query.countries))} not among listed "
                f"{', '.join(sorted(entry.countries))} (-{COUNTRY_CONFLICT})"
            )
    return penalty, notes


def best_hit(
    query: PartyQuery,
    query_name: ParsedName,
    entry: ListEntry,
    entry_names: list[ParsedName],
) -> Hit:
    """The entry's name that matches best, adjusted by birth date, country and kind."""
    best: tuple[NameComparison, ParsedName] | None = None
    for name in entry_names:
        comparison = compare_names(query_name, name)
        if best is None or comparison.score > best[0].score:
            best = (comparison, name)
    if best is None:
        raise ValueError(f"entry {entry.entry_id} has no name")
    comparison, name = best
    penalty, notes = context_adjustments(query, entry)
    score = max(0.0, comparison.score - penalty)
    return Hit(entry, round(score, 4), round(comparison.score, 4), name.original, comparison, tuple(notes))
