"""Retrieval never drops a name the scorer would put at or above the threshold (issue 16, item 3)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from exportguard.domain.screening.blocking import NameBlocks
from exportguard.domain.screening.entries import ListEntry, PartyQuery, Schema
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


@settings(max_examples=150, deadline=None)
@given(st.lists(_NAME, min_size=1, max_size=12), st.lists(_NAME, min_size=1, max_size=4))
def test_retrieval_keeps_every_name_the_scorer_would_flag(listed: list[str], queries: list[str]) -> None:
    entries = [ListEntry("t", str(i), Schema.PERSON, (name,)) for i, name in enumerate(listed)]
    parsed = [parse_name(name, Schema.PERSON) for name in listed]
    blocks = NameBlocks()
    blocks.extend(parsed)
    rarity = Rarity(parsed)
    for text in queries:
        query = parse_name(text, Schema.PERSON)
        if not query.parts:
            continue
        kept = set(
            blocks.candidates(query, len(listed) + 1, DEFAULT_THRESHOLD, rarity.evidence, added_evidence=0.0)
        )
        for number, entry in enumerate(entries):
            hit = best_hit(PartyQuery(text, Schema.PERSON), query, entry, [parsed[number]], rarity=rarity)
            if hit.score >= DEFAULT_THRESHOLD:
                assert number in kept, (text, entry.names[0], hit.explanation)
