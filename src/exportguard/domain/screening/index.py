"""In-memory screening: list entries indexed once, parties screened against them in about a
millisecond each; and the reverse, parties indexed once and changed list entries run against them.

Both directions use the same symmetric scorer and the same keys, so screening party P against
entry E gives the same score whichever of the two is indexed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from exportguard.domain.screening.blocking import NameBlocks
from exportguard.domain.screening.entries import ListEntry, PartyQuery, Schema
from exportguard.domain.screening.matcher import (
    BIRTH_DATE_EVIDENCE,
    COUNTRY_EVIDENCE,
    DEFAULT_THRESHOLD,
    Hit,
    best_hit,
)
from exportguard.domain.screening.names import ParsedName, parse_name
from exportguard.domain.screening.rarity import NO_POPULATION, Rarity


class ScreeningIndex:
    """List entries indexed for screening parties against them."""

    def __init__(self, entries: Iterable[ListEntry] = ()) -> None:
        self._entries: list[ListEntry] = []
        self._names: list[list[ParsedName]] = []
        self._name_owner: list[int] = []
        self._parsed: list[ParsedName] = []
        self._blocks = NameBlocks()
        self.rarity = Rarity()
        for entry in entries:
            self.add(entry)

    def add(self, entry: ListEntry) -> None:
        position = len(self._entries)
        names = [parse_name(n, entry.schema) for n in dict.fromkeys(entry.names) if n.strip()]
        if not names:
            return
        self._entries.append(entry)
        self._names.append(names)
        for name in names:
            self._blocks.add(name)
            self._name_owner.append(position)
            self._parsed.append(name)
            self.rarity.add(name)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def name_count(self) -> int:
        return len(self._name_owner)

    def screen(self, query: PartyQuery, threshold: float = DEFAULT_THRESHOLD, limit: int = 5) -> list[Hit]:
        """Entries scoring at least ``threshold`` for the party, best first, at most ``limit``.

        Entries are scored in the order of their best possible score (retrieval's bound); once
        ``limit`` of them score above the next one's bound, no entry left can displace them.
        """
        parsed = parse_name(query.name, query.schema)
        if not parsed.parts:
            return []
        added = (BIRTH_DATE_EVIDENCE if query.birth_date else 0.0) + (
            COUNTRY_EVIDENCE if query.countries else 0.0
        )
        # Only the entry's names that retrieval kept are scored: the others cannot reach the
        # threshold (see blocking.best_possible).
        by_owner: dict[int, tuple[float, list[ParsedName]]] = {}
        for bound, number in self._blocks.candidates(parsed, threshold, self.rarity.evidence, added):
            owner = self._name_owner[number]
            found = by_owner.get(owner)
            if found is None:
                by_owner[owner] = (bound, [self._parsed[number]])
            else:
                found[1].append(self._parsed[number])
        kept: list[Hit] = []
        for owner, (bound, names) in by_owner.items():  # in the order of their best bound
            if len(kept) >= limit and kept[limit - 1].score > bound:
                break
            hit = best_hit(
                query, parsed, self._entries[owner], names, rarity=self.rarity, threshold=threshold
            )
            if hit.score >= threshold:
                kept.append(hit)
                kept.sort(key=lambda h: (-h.score, h.entry.key))
        kept.sort(key=lambda h: (-h.score, h.entry.key))
        return kept[:limit]


@dataclass(frozen=True)
class PartyHit:
    """A party that a (new or changed) list entry may name."""

    party: PartyQuery
    hit: Hit


class PartyIndex:
    """Parties (of pending applications and active permits) indexed for re-screening in reverse:
    when a list changes, only the added and changed entries are run against this index."""

    def __init__(self, parties: Iterable[PartyQuery] = ()) -> None:
        self._parties: list[PartyQuery] = []
        self._parsed: list[ParsedName] = []
        self._blocks = NameBlocks()
        for party in parties:
            self.add(party)

    def add(self, party: PartyQuery) -> None:
        parsed = parse_name(party.name, party.schema)
        if not parsed.parts:
            return
        self._parties.append(party)
        self._parsed.append(parsed)
        self._blocks.add(parsed)

    def __len__(self) -> int:
        return len(self._parties)

    def parties_hit_by(
        self,
        entries: Sequence[ListEntry],
        threshold: float = DEFAULT_THRESHOLD,
        rarity: Rarity = NO_POPULATION,
    ) -> list[PartyHit]:
        """Every indexed party that any of ``entries`` hits at ``threshold`` or above.

        ``rarity`` should be the one of the whole list (``ScreeningIndex.rarity``), so that a
        pair scores the same in both directions; without it, partial names are judged less
        strictly (never more), so re-screening flags a superset.
        """
        found: dict[tuple[int, tuple[str, str]], PartyHit] = {}
        for entry in entries:
            names = [parse_name(n, entry.schema) for n in dict.fromkeys(entry.names) if n.strip()]
            candidates: dict[int, list[ParsedName]] = {}
            for name in names:
                for _, number in self._blocks.candidates(name, threshold, rarity.evidence):
                    candidates.setdefault(number, []).append(name)
            for number, entry_names in candidates.items():
                party = self._parties[number]
                hit = best_hit(
                    party, self._parsed[number], entry, entry_names, rarity=rarity, threshold=threshold
                )
                if hit.score >= threshold:
                    found[(number, entry.key)] = PartyHit(party, hit)
        return list(found.values())


def schema_of(label: str) -> Schema:
    """Map a publisher's word for a kind of party to a :class:`Schema`."""
    word = label.strip().lower()
    if word in {"person", "individual", "individuals"}:
        return Schema.PERSON
    if word in {"vessel", "ship", "aircraft"}:
        return Schema.VESSEL
    if word in {"entity", "organisation", "organization", "company", "legalentity", "entities"}:
        return Schema.ORGANISATION
    return Schema.UNKNOWN
