"""Malformed files are rejected whole, with line numbers; publishers are fetched through a twin."""

from __future__ import annotations

import json

import pytest

from exportguard.adapters.sanctions_lists.ofac_sdn import parse_ofac_sdn
from exportguard.adapters.sanctions_lists.opensanctions_ftm import parse_ftm_entities
from exportguard.adapters.sanctions_lists.publishers import PUBLISHERS, InMemoryFetcher
from exportguard.adapters.sanctions_lists.snapshot import MalformedListFile
from exportguard.adapters.sanctions_lists.un_consolidated import parse_un_consolidated
from exportguard.domain.screening.entries import PartialDate, Schema
from tests.conftest import shared_data


def test_malformed_ofac_files_name_their_bad_lines() -> None:
    sdn = shared_data("sanctions/malformed/sdn.csv").read_bytes()
    alt = shared_data("sanctions/malformed/alt.csv").read_bytes()
    with pytest.raises(MalformedListFile) as raised:
        parse_ofac_sdn({"sdn.csv": sdn})
    assert [p.field for p in raised.value.problems] == ["sdn.csv line 7380"]
    with pytest.raises(MalformedListFile) as raised:
        parse_ofac_sdn(
            {"sdn.csv": shared_data("sanctions/ofac-sdn-set/sdn.csv").read_bytes(), "alt.csv": alt}
        )
    assert [p.field for p in raised.value.problems] == ["alt.csv line 9683"]


def test_every_bad_line_is_reported_not_just_the_first() -> None:
    data = b'1,"A",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \nbad\n2,"B"\n'
    with pytest.raises(MalformedListFile) as raised:
        parse_ofac_sdn({"sdn.csv": data})
    assert [p.field for p in raised.value.problems] == ["sdn.csv line 2", "sdn.csv line 3"]


def test_broken_xml_is_reported_with_its_line() -> None:
    with pytest.raises(MalformedListFile) as raised:
        parse_un_consolidated(b"<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<oops></INDIVIDUALS>")
    assert raised.value.problems[0].field == "consolidated.xml line 3"


def test_xml_entity_expansion_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CONSOLIDATED_LIST>&a;</CONSOLIDATED_LIST>'
    with pytest.raises(MalformedListFile, match="refused"):
        parse_un_consolidated(bomb)


FTM_LINES = [
    {
        "id": "p1",
        "schema": "Person",
        "properties": {
            "name": ["Ivan Petrov"],
            "alias": ["Иван Петров"],
            "birthDate": ["1970-05"],
            "nationality": ["ru"],
        },
    },
    {"id": "c1", "schema": "Company", "properties": {"name": ["Falcon Trading LLC"], "country": ["ae"]}},
    {"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"]}},
]


def test_followthemoney_lines_become_entries_and_other_schemata_are_skipped() -> None:
    data = "\n".join(json.dumps(line) for line in FTM_LINES).encode()
    parsed = parse_ftm_entities(data)
    assert [(e.entry_id, e.schema) for e in parsed.entries] == [
        ("p1", Schema.PERSON),
        ("c1", Schema.ORGANISATION),
    ]
    assert parsed.entries[0].names == ("Ivan Petrov", "Иван Петров")
    assert parsed.entries[0].birth_dates == (PartialDate(1970, 5),)
    assert parsed.entries[0].countries == {"RU"}


def test_a_bad_followthemoney_line_loads_nothing() -> None:
    data = (json.dumps(FTM_LINES[0]) + "\n{not json\n" + json.dumps({"schema": "Person"})).encode()
    with pytest.raises(MalformedListFile) as raised:
        parse_ftm_entities(data)
    assert [p.field for p in raised.value.problems] == [
        "entities.ftm.json line 2",
        "entities.ftm.json line 3",
    ]


def test_publishers_fetch_every_file_of_a_set_through_the_fetcher() -> None:
    ofac = PUBLISHERS["ofac-sdn"]
    files = {
        n: shared_data(f"sanctions/ofac-sdn-set/{n}").read_bytes() for n in ("sdn.csv", "alt.csv", "add.csv")
    }
    fetcher = InMemoryFetcher({ofac.files[name]: data for name, data in files.items()})
    parsed = ofac.download(fetcher)
    assert len(parsed.entries) == 8976
    assert sorted(fetcher.requested) == sorted(ofac.files.values())
    assert all(url.startswith("https://") for p in PUBLISHERS.values() for url in p.files.values())
    assert set(PUBLISHERS) == {
        "un-consolidated",
        "ofac-sdn",
        "bis-denied-persons",
        "canada-sema",
        "uk-sanctions",
        "opensanctions",
    }


def test_a_missing_file_of_a_set_fails_before_anything_is_parsed() -> None:
    with pytest.raises(LookupError):
        PUBLISHERS["un-consolidated"].download(InMemoryFetcher({}))
