"""Retrieval never drops a name the scorer would put at or above the threshold (issue 16, item 3)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from exportguard.domain.screening.blocking import NameBlocks
from exportguard.domain.screening.entries import ListEntry, PartyQuery, Schema
from exportguard.domain.screening.index import PartyIndex, ScreeningIndex
from exportguard.domain.screening.matcher import DEFAULT_THRESHOLD, best_hit
from exportguard.domain.screening.names import parse_name
from exportguard.domain.screening.rarity import Rarity

_WORDS = [
    "muhammad",
    "mohamed",
    "ahmad",
    "ali",
    "hassan",
    "hussein",
    "hossein",
    "karimi",
    "abdul",
    "rahman",
    "nasrallah",
    "kim",
    "jong",
    "un",
    "young",
    "bok",
    "li",
    "yu",
    "cheng",
    "john",
    "juan",
    "ivan",
    "vargas",
    "martinez",
    "perez",
    "carlos",
    "sergei",
    "sergey",
    "lavrov",
    "putin",
    "vladimir",
    "faiz",
    "afiz",
    "khodorkovsky",
    "gazprom",
    "neft",
    "falcon",
    "trading",
    "bank",
    "al",
    "bin",
    "de",
    "j",
    "k",
]
_ABJAD = ["محمد", "حسن", "حسين", "علي", "عبد", "الرحمن", "نصر", "الله", "كريمي"]


@st.composite
def _typo(draw: st.DrawFn, word: str) -> str:
    """A word with up to two random edits: substitutions, insertions, deletions, swaps."""
    letters = list(word)
    for _ in range(draw(st.integers(0, 2))):
        if len(letters) < 2:
            break
        i = draw(st.integers(0, len(letters) - 2))
        operation = draw(st.sampled_from(("sub", "ins", "del", "swap")))
        letter = draw(st.sampled_from("aehiklmnorstuy"))
        if operation == "sub":
            letters[i] = letter
        elif operation == "ins":
            letters.insert(i, letter)
        elif operation == "del":
            del letters[i]
        else:
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
    return "".join(letters)


_PART = st.one_of(st.sampled_from(_WORDS).flatmap(_typo), st.sampled_from(_ABJAD))
_NAME = st.lists(_PART, min_size=1, max_size=4).map(" ".join).filter(str.strip)


@st.composite
def _near(draw: st.DrawFn, names: list[str]) -> str:
    """A listed name as a screener may meet it: typos in its words, a word dropped or added,
    the words in another order; or an unrelated name."""
    if not names or draw(st.booleans()):
        return draw(_NAME)
    words = draw(st.sampled_from(names)).split()
    words = [draw(_typo(w)) if draw(st.booleans()) else w for w in words]
    if len(words) > 1 and draw(st.booleans()):
        del words[draw(st.integers(0, len(words) - 1))]
    if draw(st.booleans()):
        words.append(draw(_PART))
    return " ".join(draw(st.permutations(words))) or draw(_NAME)


Drawn = tuple[list[list[str]], list[str]]  # listed entries' names, queries


@st.composite
def _listed_and_queries(draw: st.DrawFn, max_names: int = 3) -> Drawn:
    listed = draw(st.lists(st.lists(_NAME, min_size=1, max_size=max_names), min_size=1, max_size=12))
    names = [n for entry in listed for n in entry]
    return listed, draw(st.lists(_near(names), min_size=1, max_size=4))


@settings(max_examples=300, deadline=None)
@given(_listed_and_queries(max_names=1))
def test_retrieval_keeps_every_name_the_scorer_would_flag(drawn: Drawn) -> None:
    listed, queries = [names[0] for names in drawn[0]], drawn[1]
    entries = [ListEntry("t", str(i), Schema.PERSON, (name,)) for i, name in enumerate(listed)]
    parsed = [parse_name(name, Schema.PERSON) for name in listed]
    blocks = NameBlocks()
    blocks.extend(parsed)
    rarity = Rarity(parsed)
    for text in queries:
        query = parse_name(text, Schema.PERSON)
        if not query.parts:
            continue
        found = blocks.candidates(query, DEFAULT_THRESHOLD, rarity.evidence, added_evidence=0.0)
        kept = {n for _, n in found}
        for number, entry in enumerate(entries):
            hit = best_hit(PartyQuery(text, Schema.PERSON), query, entry, [parsed[number]], rarity=rarity)
            if hit.score >= DEFAULT_THRESHOLD:
                assert number in kept, (text, entry.names[0], hit.explanation)


@settings(max_examples=300, deadline=None)
@given(_listed_and_queries(), st.integers(1, 3))
def test_screening_returns_what_a_full_scan_returns(drawn: Drawn, limit: int) -> None:
    """The whole of retrieval, the bound and the index's early stop once ``limit`` entries
    score above every remaining candidate's bound: the same hits as scoring every entry."""
    listed, queries = drawn
    entries = [ListEntry("t", str(i), Schema.PERSON, tuple(names)) for i, names in enumerate(listed)]
    index = ScreeningIndex(entries)
    for text in queries:
        party = PartyQuery(text, Schema.PERSON)
        query = parse_name(text, Schema.PERSON)
        if not query.parts:
            continue
        every = []
        for entry in entries:
            names = [parse_name(n, Schema.PERSON) for n in dict.fromkeys(entry.names) if n.strip()]
            if names:
                hit = best_hit(party, query, entry, names, rarity=index.rarity)
                if hit.score >= DEFAULT_THRESHOLD:
                    every.append((hit.score, entry.key))
        every.sort(key=lambda h: (-h[0], h[1]))
        found = [(h.score, h.entry.key) for h in index.screen(party, limit=limit)]
        assert found == every[:limit], (text, listed)


@settings(max_examples=100, deadline=None)
@given(_listed_and_queries(max_names=1))
def test_reverse_screening_finds_what_forward_screening_finds(drawn: Drawn) -> None:
    """Re-screening a list's entries against the parties, with the list's rarity, flags exactly
    the (party, entry) pairs that screening each party against the list flags."""
    listed, parties = [names[0] for names in drawn[0]], drawn[1]
    entries = [ListEntry("t", str(i), Schema.PERSON, (name,)) for i, name in enumerate(listed)]
    index = ScreeningIndex(entries)
    queries = [PartyQuery(p, Schema.PERSON, reference=str(i)) for i, p in enumerate(parties)]
    forward = {(q.reference, h.entry.key) for q in queries for h in index.screen(q, limit=len(entries))}
    reverse = {
        (found.party.reference, found.hit.entry.key)
        for found in PartyIndex(queries).parties_hit_by(entries, rarity=index.rarity)
    }
    assert reverse == forward


def test_a_partial_name_at_the_threshold_is_kept_and_entries_past_the_limit_are_not_scored() -> None:
    """Two of four parts, one a given name's cognate (README's example, 0.76): just over the
    threshold, so retrieval must keep it; and with ``limit`` 1 the better entry wins."""
    entries = [
        ListEntry("t", "1", Schema.PERSON, ("MARTINEZ PEREZ, Juan Carlos",)),
        ListEntry("t", "2", Schema.PERSON, ("John MARTINEZ",)),
        ListEntry("t", "3", Schema.PERSON, ("Carlos VARGAS",)),
    ]
    index = ScreeningIndex(entries)
    hits = index.screen(PartyQuery("John Martinez", Schema.PERSON))
    assert [h.entry.entry_id for h in hits] == ["2", "1"]
    assert 0.75 <= hits[1].score < 0.8
    best = index.screen(PartyQuery("John Martinez", Schema.PERSON), limit=1)
    assert [h.entry.entry_id for h in best] == ["2"]


def test_the_early_stop_waits_for_a_score_above_every_remaining_bound() -> None:
    """Both names cover the query whole (best possible 1.0); the first scored is a spelling
    variant, so the exact one, scored next, must still be reached."""
    entries = [
        ListEntry("t", "1", Schema.PERSON, ("Hasan KARIMI",)),
        ListEntry("t", "2", Schema.PERSON, ("Hassan KARIMI",)),
    ]
    hits = ScreeningIndex(entries).screen(PartyQuery("Hassan Karimi", Schema.PERSON), limit=1)
    assert [(h.entry.entry_id, h.score) for h in hits] == [("2", 1.0)]
