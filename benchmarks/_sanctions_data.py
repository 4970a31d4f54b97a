"""Loading the real lists and name sets from ../shared/data for the benchmarks."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from exportguard.adapters.sanctions_lists.canada_sema import parse_canada_sema
from exportguard.adapters.sanctions_lists.countries import country_code
from exportguard.adapters.sanctions_lists.ofac_sdn import parse_ofac_sdn
from exportguard.adapters.sanctions_lists.snapshot import ParsedList
from exportguard.adapters.sanctions_lists.uk_sanctions import parse_uk_sanctions
from exportguard.adapters.sanctions_lists.un_consolidated import parse_un_consolidated
from exportguard.domain.screening.entries import PartialDate, PartyQuery, Schema

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SANCTIONS = DATA / "sanctions"
NAMES = DATA / "names"
PAIR_SCHEMATA = {"Person": Schema.PERSON, "Vessel": Schema.VESSEL}


def require_data() -> None:
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}; the benchmark needs it", file=sys.stderr)
        sys.exit(2)


def read(name: str) -> bytes:
    return (SANCTIONS / name).read_bytes()


def load_lists() -> list[ParsedList]:
    """UN, OFAC (the coherent set with aliases), UK and SEMA: the issue's benchmark lists."""
    return [
        parse_un_consolidated(read("un-consolidated-2025-08-02.xml")),
        parse_ofac_sdn({n: read(f"ofac-sdn-set/{n}") for n in ("sdn.csv", "alt.csv", "add.csv")}),
        parse_uk_sanctions(
            {
                "subjects.csv": read("uk-subjects-2026-05-13.csv"),
                "names.csv": read("uk-subject-names-2026-05-13.csv"),
                "dobs.csv": read("uk-subject-dobs-2026-05-13.csv"),
            }
        ),
        parse_canada_sema(read("canada-sema-2020-04-15.xml")),
    ]


def name_pairs() -> list[tuple[str, str, Schema, bool]]:
    with (NAMES / "name-pairs-dev.csv").open(encoding="utf-8") as handle:
        return [
            (
                row["name1"],
                row["name2"],
                PAIR_SCHEMATA.get(row["schema"], Schema.ORGANISATION),
                row["is_match"] == "true",
            )
            for row in csv.DictReader(handle)
        ]


def un_positives() -> list[PartyQuery]:
    queries = []
    with (NAMES / "un-positives-dev.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = country_code(row["nationality"]) if row["nationality"] else None
            queries.append(
                PartyQuery(
                    row["full_name"],
                    Schema.PERSON,
                    frozenset([code]) if code else frozenset(),
                    PartialDate.parse(row["date_of_birth"]) if row["date_of_birth"] else None,
                )
            )
    return queries
