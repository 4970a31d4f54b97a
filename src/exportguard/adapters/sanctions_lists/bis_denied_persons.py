"""The US Commerce BIS Denied Persons List: tab-separated, quoted, with a header row."""

from __future__ import annotations

import csv
import hashlib

from exportguard.adapters.sanctions_lists.countries import country_code
from exportguard.adapters.sanctions_lists.snapshot import (
    MalformedListFile,
    ParsedList,
    content_hash,
    csv_records,
    decode_text,
)
from exportguard.domain.screening.entries import ListEntry, Schema

SOURCE = "bis-denied-persons"
FILE_NAME = "dpl.txt"
_REQUIRED = ("Name", "Country", "Effective_Date", "FR_Citation")


def _entry_id(name: str, citation: str) -> str:
    # The list carries no identifier; the name with its Federal Register citation is what
    # identifies an order, and a digest keeps the id short and stable across releases.
    return hashlib.sha256(f"{name}\0{citation}".encode()).hexdigest()[:16]


def parse_bis_denied_persons(data: bytes) -> ParsedList:
    lines = decode_text(data, FILE_NAME).splitlines()
    reader = csv.DictReader(lines, delimiter="\t", quotechar='"')
    missing = [c for c in _REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise MalformedListFile.at_lines(FILE_NAME, [(1, f"header lacks {', '.join(missing)}")])
    rows: dict[str, tuple[str, set[str], list[str]]] = {}
    bad: list[tuple[int, str]] = []
    for line, row in enumerate(csv_records(reader, FILE_NAME), start=2):
        if None in row or any(row.get(c) is None for c in _REQUIRED):
            bad.append((line, f"expected {len(_REQUIRED)}+ tab-separated fields"))
            continue
        name = row["Name"].strip()
        if not name:
            bad.append((line, "empty Name"))
            continue
        # One denial order can list several addresses: one row each, one entry in all.
        key = _entry_id(name, row["FR_Citation"].strip())
        _, countries, remarks = rows.setdefault(key, (name, set(), []))
        code = country_code(row["Country"])
        if code:
            countries.add(code)
        remarks.append(f"{row.get('City', '').strip()} {row['Country'].strip()}".strip())
    if bad:
        raise MalformedListFile.at_lines(FILE_NAME, bad)
    entries = tuple(
        ListEntry(
            source=SOURCE,
            entry_id=key,
            # The list mixes persons and companies without saying which.
            schema=Schema.UNKNOWN,
            names=(name,),
            countries=frozenset(countries),
            remarks="; ".join(r for r in remarks if r),
        )
        for key, (name, countries, remarks) in rows.items()
    )
    return ParsedList(SOURCE, content_hash({FILE_NAME: data}), entries)
