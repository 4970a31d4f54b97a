"""Every parser on the real published files in ../shared/data/sanctions."""

from __future__ import annotations

from exportguard.adapters.sanctions_lists.bis_denied_persons import parse_bis_denied_persons
from exportguard.adapters.sanctions_lists.canada_sema import parse_canada_sema
from exportguard.adapters.sanctions_lists.ofac_sdn import parse_ofac_sdn
from exportguard.adapters.sanctions_lists.uk_sanctions import parse_uk_sanctions
from exportguard.adapters.sanctions_lists.un_consolidated import parse_un_consolidated
from exportguard.domain.screening.diff import diff_entries
from exportguard.domain.screening.entries import PartialDate, Schema
from tests.conftest import shared_data


def read(name: str) -> bytes:
    return shared_data(f"sanctions/{name}").read_bytes()


def test_un_consolidated_list() -> None:
    parsed = parse_un_consolidated(read("un-consolidated-2025-08-02.xml"))
    by_id = {e.entry_id: e for e in parsed.entries}
    assert len(parsed.entries) == 879
    assert sum(e.schema is Schema.PERSON for e in parsed.entries) == 684
    assert parsed.published.startswith("2025-08-02")
    badege = by_id["CDi.001"]
    assert badege.names[0] == "ERIC BADEGE"
    assert badege.birth_dates == (PartialDate(1971),)
    assert badege.countries == {"CD", "RW"}
    assert badege.programs == ("DRC",)
    # Original-script names are kept as names.
    assert any("صدام" in n for e in parsed.entries for n in e.names)


def test_un_snapshots_diff_to_a_real_change() -> None:
    old = parse_un_consolidated(read("un-consolidated-2025-08-02.xml"))
    new = parse_un_consolidated(read("un-consolidated-2026-02-27.xml"))
    diff = diff_entries(old.entries, new.entries)
    assert old.content_hash != new.content_hash
    assert not diff.is_empty
    assert diff_entries(old.entries, old.entries).is_empty


def test_ofac_set_joins_aliases_and_reads_remarks() -> None:
    parsed = parse_ofac_sdn({n: read(f"ofac-sdn-set/{n}") for n in ("sdn.csv", "alt.csv", "add.csv")})
    by_id = {e.entry_id: e for e in parsed.entries}
    assert len(parsed.entries) == 8976
    zawahiri = by_id["2676"]
    assert zawahiri.schema is Schema.PERSON
    assert "SALIM, Ahmad Fuad" in zawahiri.names
    assert PartialDate(1951, 6, 19) in zawahiri.birth_dates
    assert by_id["306"].names[:2] == ("BANCO NACIONAL DE CUBA", "NATIONAL BANK OF CUBA")
    assert "CH" in by_id["306"].countries  # from add.csv: Zurich, Switzerland
    # "-0-" is empty, never a value.
    assert all(e.remarks.strip() != "-0-" and "-0-" not in e.names for e in parsed.entries)
    assert sum(1 for e in parsed.entries if not e.remarks) > 500


def test_a_lone_ofac_sdn_file_and_the_real_month_of_change() -> None:
    april = parse_ofac_sdn({"sdn.csv": read("ofac-sdn-2024-04-02.csv")})
    may = parse_ofac_sdn({"sdn.csv": read("ofac-sdn-2024-05-03.csv")})
    assert len(may.entries) == 14965
    diff = diff_entries(april.entries, may.entries)
    assert 100 < len(diff.added) + len(diff.changed) < 2000
    assert april.content_hash == parse_ofac_sdn({"sdn.csv": read("ofac-sdn-2024-04-02.csv")}).content_hash


def test_bis_denied_persons() -> None:
    parsed = parse_bis_denied_persons(read("bis-denied-persons.txt"))
    # 581 rows; an order listing several addresses is one entry.
    assert 400 < len(parsed.entries) <= 581
    ash = next(e for e in parsed.entries if e.names == ("I. ASH",))
    assert ash.countries == {"US"}
    assert len({e.entry_id for e in parsed.entries}) == len(parsed.entries)


def test_canada_sema() -> None:
    parsed = parse_canada_sema(read("canada-sema-2020-04-15.xml"))
    assert len(parsed.entries) == 1369
    air_bagan = parsed.entries[0]
    assert air_bagan.names == ("Air Bagan", "Air Bagan Holdings Pte. Ltd.", "Air Bagan Limited")
    than_shwe = next(e for e in parsed.entries if e.names[0] == "Than Shwe")
    assert than_shwe.schema is Schema.PERSON
    assert than_shwe.birth_dates == (PartialDate(1933, 2, 2),)
    assert len({e.entry_id for e in parsed.entries}) == 1369


def test_uk_list_from_its_three_tables() -> None:
    parsed = parse_uk_sanctions(
        {
            "subjects.csv": read("uk-subjects-2026-05-13.csv"),
            "names.csv": read("uk-subject-names-2026-05-13.csv"),
            "dobs.csv": read("uk-subject-dobs-2026-05-13.csv"),
        }
    )
    assert len(parsed.entries) == 6046
    assert sum(len(e.names) for e in parsed.entries) > 14000
    by_id = {e.entry_id: e for e in parsed.entries}
    assert by_id["AFG0001"].names[0] == "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE"
    assert by_id["AFG0006"].birth_dates[:2] == (PartialDate(1967, 1, 1), PartialDate(1969, 6, 4))
    assert {e.schema for e in parsed.entries} == {Schema.PERSON, Schema.ORGANISATION, Schema.VESSEL}
