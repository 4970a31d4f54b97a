"""OFAC's Specially Designated Nationals list, legacy CSV set: sdn.csv (entries), alt.csv
(aliases) and add.csv (addresses). No header; ``-0-`` means empty. A lone sdn.csv is accepted:
its remarks still carry aliases ("a.k.a. 'X'"), dates of birth and nationalities."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping

from exportguard.adapters.sanctions_lists.countries import country_code
from exportguard.adapters.sanctions_lists.snapshot import (
    MalformedListFile,
    ParsedList,
    content_hash,
    csv_records,
    decode_text,
)
from exportguard.domain.screening.entries import ListEntry, PartialDate, Schema

SOURCE = "ofac-sdn"
_EMPTY = "-0-"
_COLUMNS = {"sdn.csv": 12, "alt.csv": 5, "add.csv": 6}
_SCHEMATA = {"individual": Schema.PERSON, "vessel": Schema.VESSEL, "aircraft": Schema.VESSEL}
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_AKA = re.compile(r"""\b(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'([^']+)'""", re.IGNORECASE)
_DOB = re.compile(r"\bDOB\s+([^;]+)")
_DATE = re.compile(r"(?:(\d{1,2})\s+)?(?:([A-Za-z]{3})\s+)?(\d{4})")
_NATIONALITY = re.compile(r"\b(?:nationality|citizen)\s+([A-Za-z ,.'-]+?)(?:;|\.$|$)")


def _value(field: str) -> str:
    text = field.strip()
    return "" if text == _EMPTY else text


def _rows(data: bytes, file_name: str) -> Iterator[tuple[int, list[str]]]:
    """Rows with their line numbers; every malformed row is reported at once, none half-read."""
    text = decode_text(data, file_name)
    reader = csv.reader(text.splitlines(keepends=True))
    good: list[tuple[int, list[str]]] = []
    bad: list[tuple[int, str]] = []
    width = _COLUMNS[file_name]
    line = reader.line_num + 1
    for row in csv_records(reader, file_name):
        # Files end with a DOS end-of-file mark (0x1A) on its own line.
        if not row or (len(row) == 1 and row[0].strip() in ("", "\x1a")):
            line = reader.line_num + 1
            continue
        if len(row) != width:
            bad.append((line, f"expected {width} fields, found {len(row)}"))
        elif not row[0].strip().isdigit():
            bad.append((line, f"entry number {row[0].strip()!r} is not a number"))
        else:
            good.append((line, row))
        line = reader.line_num + 1
    if bad:
        raise MalformedListFile.at_lines(file_name, bad)
    return iter(good)


def _dates(remarks: str) -> tuple[PartialDate, ...]:
    dates: list[PartialDate] = []
    for found in _DOB.finditer(remarks):
        for day, month, year in _DATE.findall(found.group(1)):
            month_number = _MONTHS.get(month.lower()) if month else None
            dates.append(PartialDate(int(year), month_number, int(day) if day and month_number else None))
    return tuple(dict.fromkeys(dates))


def _countries(remarks: str, flag: str) -> frozenset[str]:
    names = [m.strip() for m in _NATIONALITY.findall(remarks)] + ([flag] if flag else [])
    return frozenset(c for c in (country_code(n) for n in names) if c)


def parse_ofac_sdn(files: Mapping[str, bytes]) -> ParsedList:
    """Parse ``{"sdn.csv": ..., "alt.csv": ..., "add.csv": ...}``; only sdn.csv is required."""
    if "sdn.csv" not in files:
        raise MalformedListFile.at_lines("sdn.csv", [(0, "the set has no sdn.csv")])
    aliases: dict[str, list[str]] = {}
    if "alt.csv" in files:
        for _, row in _rows(files["alt.csv"], "alt.csv"):
            if _value(row[3]):
                aliases.setdefault(row[0].strip(), []).append(_value(row[3]))
    address_countries: dict[str, list[str]] = {}
    if "add.csv" in files:
        for _, row in _rows(files["add.csv"], "add.csv"):
            if _value(row[4]):
                address_countries.setdefault(row[0].strip(), []).append(_value(row[4]))
    entries: list[ListEntry] = []
    for _, row in _rows(files["sdn.csv"], "sdn.csv"):
        number, name, kind, program = (row[0].strip(), _value(row[1]), _value(row[2]), row[3])
        remarks = _value(row[11])
        names = [name, *aliases.get(number, []), *_AKA.findall(remarks)]
        schema = _SCHEMATA.get(kind.lower(), Schema.ORGANISATION)
        countries = _countries(remarks, _value(row[9])) | frozenset(
            c for c in (country_code(n) for n in address_countries.get(number, [])) if c
        )
        programs = tuple(p.strip(" []") for p in _value(program).split("] [") if p.strip(" []"))
        entries.append(
            ListEntry(
                source=SOURCE,
                entry_id=number,
                schema=schema,
                names=tuple(dict.fromkeys(n.strip() for n in names if n.strip())),
                countries=countries,
                birth_dates=_dates(remarks) if schema is Schema.PERSON else (),
                programs=programs,
                remarks=remarks,
            )
        )
    return ParsedList(SOURCE, content_hash(dict(files)), tuple(entries))
