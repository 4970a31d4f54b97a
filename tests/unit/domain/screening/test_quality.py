"""Quality on the development sets in ../shared/data/names (quality is behaviour; timings are
the benchmark's business). The thresholds are the issue's goals."""

from __future__ import annotations

import csv

from exportguard.adapters.sanctions_lists.countries import country_code
from exportguard.adapters.sanctions_lists.un_consolidated import parse_un_consolidated
from exportguard.domain.screening.entries import PartialDate, PartyQuery, Schema
from exportguard.domain.screening.index import ScreeningIndex
from exportguard.domain.screening.matcher import DEFAULT_THRESHOLD
from exportguard.domain.screening.names import parse_name
from exportguard.domain.screening.scorer import compare_names
from tests.conftest import shared_data

SCHEMATA = {"Person": Schema.PERSON, "Vessel": Schema.VESSEL}


def test_f1_on_the_dev_name_pairs_is_at_least_085() -> None:
    with shared_data("names/name-pairs-dev.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts = {"tp": 0, "fp": 0, "fn": 0}
    for row in rows:
        schema = SCHEMATA.get(row["schema"], Schema.ORGANISATION)
        score = compare_names(parse_name(row["name1"], schema), parse_name(row["name2"], schema))
        flagged, truth = score.score >= DEFAULT_THRESHOLD, row["is_match"] == "true"
        if flagged and truth:
            counts["tp"] += 1
        elif flagged:
            counts["fp"] += 1
        elif truth:
            counts["fn"] += 1
    f1 = 2 * counts["tp"] / (2 * counts["tp"] + counts["fp"] + counts["fn"])
    assert len(rows) == 826
    assert f1 >= 0.85, counts


def test_un_positives_are_found_in_the_un_list() -> None:
    listed = parse_un_consolidated(shared_data("sanctions/un-consolidated-2025-08-02.xml").read_bytes())
    index = ScreeningIndex(listed.entries)
    missed = []
    with shared_data("names/un-positives-dev.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        code = country_code(row["nationality"]) if row["nationality"] else None
        query = PartyQuery(
            row["full_name"],
            Schema.PERSON,
            frozenset([code]) if code else frozenset(),
            PartialDate.parse(row["date_of_birth"]) if row["date_of_birth"] else None,
        )
        if not index.screen(query):
            missed.append(row["full_name"])
    assert len(rows) == 683
    assert 1 - len(missed) / len(rows) >= 0.99, missed[:20]
