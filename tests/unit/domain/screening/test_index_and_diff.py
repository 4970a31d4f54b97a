"""Retrieval must not lose what a full scan finds; re-screening in reverse must find the same."""

from __future__ import annotations

from exportguard.domain.screening.diff import diff_entries
from exportguard.domain.screening.entries import ListEntry, PartyQuery, Schema
from exportguard.domain.screening.index import PartyIndex, ScreeningIndex
from exportguard.domain.screening.matcher import DEFAULT_THRESHOLD, best_hit
from exportguard.domain.screening.names import parse_name


def entry(entry_id: str, *names: str, schema: Schema = Schema.PERSON) -> ListEntry:
    return ListEntry("test", entry_id, schema, names)


ENTRIES = [
    entry("1", "Mohammed bin Salman al-Saud"),
    entry("2", "AL-ZAWAHIRI, Ayman", "SALIM, Ahmad Fuad"),
    entry("3", "Vladimir Vladimirovich Putin", "Владимир Путин"),
    entry("4", "Gazprom Neft OAO", schema=Schema.ORGANISATION),
    entry("5", "Kim Jong Un"),
    entry("6", "Khodorkovsky, Mikhail"),
]
QUERIES = [
    PartyQuery("Mohamed bin Salman"),
    PartyQuery("Ayman Zawahri"),
    PartyQuery("Wladimir Putin"),
    PartyQuery("Gazprom Neft JSC", Schema.ORGANISATION),
    PartyQuery("Kim Jong-un"),
    PartyQuery("Mikhail Khordorkovsky"),
    PartyQuery("Maria Schmidt"),
]


def brute_force(query: PartyQuery) -> set[str]:
    parsed = parse_name(query.name, query.schema)
    found = set()
    for e in ENTRIES:
        names = [parse_name(n, e.schema) for n in e.names]
        if best_hit(query, parsed, e, names).score >= DEFAULT_THRESHOLD:
            found.add(e.entry_id)
    return found


def test_index_finds_exactly_what_a_full_scan_finds() -> None:
    index = ScreeningIndex(ENTRIES)
    for query in QUERIES:
        assert {h.entry.entry_id for h in index.screen(query, limit=10)} == brute_force(query)
    assert {h.entry.entry_id for h in index.screen(QUERIES[0])} == {"1"}
    assert index.screen(PartyQuery("Maria Schmidt")) == []


def test_reverse_screening_finds_the_same_pairs_as_forward() -> None:
    forward = {(q.name, h.entry.entry_id) for q in QUERIES for h in ScreeningIndex(ENTRIES).screen(q)}
    reverse = {(p.party.name, p.hit.entry.entry_id) for p in PartyIndex(QUERIES).parties_hit_by(ENTRIES)}
    assert forward == reverse
    assert len(forward) >= 5


def test_diff_lists_added_changed_and_removed_entries() -> None:
    old = [entry("1", "A B"), entry("2", "C D"), entry("3", "E F")]
    new = [entry("1", "A B"), entry("2", "C D", "C. Dee"), entry("4", "G H")]
    diff = diff_entries(old, new)
    assert [e.entry_id for e in diff.added] == ["4"]
    assert [(a.entry_id, b.names) for a, b in diff.changed] == [("2", ("C D", "C. Dee"))]
    assert [e.entry_id for e in diff.removed] == ["3"]
    assert [e.entry_id for e in diff.to_rescreen] == ["4", "2"]
    assert diff_entries(new, list(reversed(new))).is_empty
