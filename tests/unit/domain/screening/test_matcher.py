"""Birth date, country and kind of party: they can rule a hit out, never pull one in."""

from __future__ import annotations

from exportguard.domain.screening.entries import ListEntry, PartialDate, PartyQuery, Schema
from exportguard.domain.screening.index import ScreeningIndex

ENTRY = ListEntry(
    source="test",
    entry_id="1",
    schema=Schema.PERSON,
    names=("Abdul Qadeer Basir", "عبد القدير بصیر"),
    countries=frozenset({"AF"}),
    birth_dates=(PartialDate(1964, 3, 1),),
)


def hit_score(query: PartyQuery) -> float:
    hits = ScreeningIndex([ENTRY]).screen(query, threshold=0.0)
    return hits[0].score if hits else 0.0


def test_partial_dates_parse_and_print() -> None:
    assert PartialDate.parse("1964") == PartialDate(1964)
    assert str(PartialDate.parse("1964-03-01")) == "1964-03-01"
    assert PartialDate.parse("circa 1964") is None


def test_matching_birth_date_and_country_do_not_raise_the_name_score() -> None:
    bare = hit_score(PartyQuery("Abdul Qadeer Basir"))
    known = hit_score(PartyQuery("Abdul Qadeer Basir", Schema.PERSON, frozenset({"AF"}), PartialDate(1964)))
    assert bare == known == 1.0


def test_a_different_birth_year_or_country_lowers_the_score_and_says_so() -> None:
    query = PartyQuery("Abdul Qadeer Basir", Schema.PERSON, frozenset({"CA"}), PartialDate(1990))
    hit = ScreeningIndex([ENTRY]).screen(query, threshold=0.0)[0]
    assert hit.score < 0.75
    assert "birth date 1990 differs" in hit.explanation
    assert "country CA not among listed AF" in hit.explanation


def test_a_company_is_not_a_listed_person_of_the_same_name() -> None:
    assert hit_score(PartyQuery("Abdul Qadeer Basir", Schema.ORGANISATION)) < 0.75


def test_the_explanation_names_the_listed_name_that_matched() -> None:
    hit = ScreeningIndex([ENTRY]).screen(PartyQuery("Basir, Abdul Qadir"))[0]
    assert "'Abdul Qadeer Basir'" in hit.explanation
    assert "basir=basir" in hit.explanation
