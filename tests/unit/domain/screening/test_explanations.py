"""Explanations that add up: the score can be redone from what the explanation says (issue 16)."""

from __future__ import annotations

import re

import pytest

from exportguard.domain.screening.entries import ListEntry, PartialDate, PartyQuery, Schema
from exportguard.domain.screening.index import ScreeningIndex
from exportguard.domain.screening.matcher import Hit

ENTRIES = [
    ListEntry(
        "t", "1", Schema.PERSON, ("MARTINEZ PEREZ, Juan Carlos",), frozenset({"MX"}), (PartialDate(1970),)
    ),
    ListEntry("t", "2", Schema.PERSON, ("Hassan Nasrallah", "حسن نصر الله"), frozenset({"LB"})),
    ListEntry("t", "3", Schema.PERSON, ("Ayman AL-ZAWAHIRI",)),
    ListEntry("t", "4", Schema.ORGANISATION, ("Gazprom Neft OAO",)),
]
QUERIES = [
    PartyQuery("John Martinez"),
    PartyQuery("Juan Carlos Martinez Perez", Schema.PERSON, frozenset({"MX"}), PartialDate(1970)),
    PartyQuery("Juan Martinez", Schema.PERSON, frozenset({"MX"}), PartialDate(1970)),
    PartyQuery("Juan Martinez", Schema.PERSON, frozenset({"ES"}), PartialDate(1955)),
    PartyQuery("حسن نصرالله"),
    PartyQuery("Hasan Nasralah"),
    PartyQuery("Aymna al-Zawahri"),
    PartyQuery("Gazprom Neft JSC", Schema.ORGANISATION),
]
_NUMBER = r"(-?\d+(?:\.\d+)?)"


def hits() -> list[Hit]:
    index = ScreeningIndex(ENTRIES)
    return [h for q in QUERIES for h in index.screen(q, threshold=0.0, limit=5)]


def rebuilt_from_text(explanation: str) -> float:
    """The score from the explanation's words alone: name x coverage, the limit, the costs."""
    raw = float(re.search(rf"raw {_NUMBER} = name x coverage", explanation).group(1))  # type: ignore[union-attr]
    limit = re.search(rf"limit {_NUMBER}", explanation)
    score = min(raw, float(limit.group(1))) if limit else raw
    for cost in re.findall(rf"(?:order|different legal forms) -{_NUMBER}", explanation):
        score -= float(cost)
    score = max(0.0, score)
    taken = re.search(rf"= name score {_NUMBER} - {_NUMBER}", explanation)
    assert taken is not None
    assert abs(float(taken.group(1)) - score) < 0.002, explanation
    return max(0.0, score - float(taken.group(2)))


def test_the_score_is_rebuilt_from_the_explanation() -> None:
    found = hits()
    assert len(found) >= len(QUERIES)
    for hit in found:
        assert hit.rebuild() == hit.score
        assert abs(rebuilt_from_text(hit.explanation) - hit.score) < 0.002, hit.explanation
        name, coverage, raw = (
            float(re.search(rf"{label} {_NUMBER}", hit.explanation).group(1))  # type: ignore[union-attr]
            for label in ("name", "coverage", "raw")
        )
        assert abs(name * coverage - raw) < 0.002, hit.explanation


def test_the_explanation_says_what_matched_how_and_what_was_left_over() -> None:
    hit = ScreeningIndex(ENTRIES).screen(PartyQuery("John Martinez"), threshold=0.5)[0]
    text = hit.explanation
    assert text.startswith("listed name 'MARTINEZ PEREZ, Juan Carlos'")
    assert "martinez=martinez (identical" in text
    assert "john~juan (name variant 0.90" in text
    assert "only in list: perez carlos" in text
    assert text.endswith(
        f"score {hit.score:.3f} = name score {hit.name_score:.3f} - 0 (at or above threshold 0.5)"
    )
    assert "limit" in text and "partial name" in text


def test_birth_date_and_country_add_evidence_or_take_points_off_and_say_so() -> None:
    index = ScreeningIndex(ENTRIES)
    bare = index.screen(PartyQuery("Juan Martinez"), threshold=0.0)[0]
    agreeing = index.screen(QUERIES[2], threshold=0.0)[0]
    differing = index.screen(QUERIES[3], threshold=0.0)[0]
    assert "birth date 1970 agrees (+1 evidence)" in agreeing.explanation
    assert "country MX agrees (+0.5 evidence)" in agreeing.explanation
    assert agreeing.score > bare.score > differing.score
    assert "birth date 1955 differs from 1970 (-0.2)" in differing.explanation
    assert "country ES not among listed MX (-0.1)" in differing.explanation


@pytest.mark.parametrize("query", ["حسن نصرالله", "Hasan Nasralah"])
def test_original_script_is_shown_as_written_beside_the_latin_form(query: str) -> None:
    hit = ScreeningIndex(ENTRIES).screen(PartyQuery(query))[0]
    assert hit.entry.entry_id == "2"
    if query.isascii():
        assert "hasan~hassan (spelling variant" in hit.explanation
    else:
        assert "حسن (hsn)" in hit.explanation
        assert "transliteration" in hit.explanation or "identical" in hit.explanation
