"""The UK Sanctions List (FCDO) as three CSVs joined on ``unique_id``: subjects, their names
(primary, variations, aliases) and their dates of birth."""

from __future__ import annotations

import csv
from collections.abc import Mapping

from exportguard.adapters.sanctions_lists.snapshot import (
    MalformedListFile,
    ParsedList,
    content_hash,
    csv_records,
    decode_text,
)
from exportguard.domain.screening.entries import ListEntry, PartialDate, Schema

SOURCE = "uk-sanctions"
SUBJECTS, NAMES, DOBS = "subjects.csv", "names.csv", "dobs.csv"
_COLUMNS = {
    SUBJECTS: ("unique_id", "subject_type"),
    NAMES: ("unique_id", "name_type", "full_name"),
    DOBS: ("unique_id", "year", "month", "day"),
}
_SCHEMATA = {"individual": Schema.PERSON, "entity": Schema.ORGANISATION, "ship": Schema.VESSEL}


def _table(files: Mapping[str, bytes], file_name: str) -> list[tuple[int, dict[str, str]]]:
    if file_name not in files:
        raise MalformedListFile.at_lines(file_name, [(0, "missing from the set")])
    reader = csv.DictReader(decode_text(files[file_name], file_name).splitlines())
    missing = [c for c in _COLUMNS[file_name] if c not in (reader.fieldnames or [])]
    if missing:
        raise MalformedListFile.at_lines(file_name, [(1, f"header lacks {', '.join(missing)}")])
    rows: list[tuple[int, dict[str, str]]] = []
    bad: list[tuple[int, str]] = []
    for line, row in enumerate(csv_records(reader, file_name), start=2):
        if None in row or any(row.get(c) is None for c in _COLUMNS[file_name]):
            bad.append((line, "wrong number of fields"))
        elif not (row["unique_id"] or "").strip():
            bad.append((line, "empty unique_id"))
        else:
            rows.append((line, {k: (v or "").strip() for k, v in row.items()}))
    if bad:
        raise MalformedListFile.at_lines(file_name, bad)
    return rows


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def _date(row: dict[str, str]) -> PartialDate | None:
    year, month, day = _number(row["year"]), _number(row["month"]), _number(row["day"])
    if year is None:
        return None
    month = month if month is not None and 1 <= month <= 12 else None
    return PartialDate(year, month, day if month else None)


def parse_uk_sanctions(files: Mapping[str, bytes]) -> ParsedList:
    """Parse ``{"subjects.csv": ..., "names.csv": ..., "dobs.csv": ...}``."""
    subjects = _table(files, SUBJECTS)
    names: dict[str, list[str]] = {}
    for _, row in _table(files, NAMES):
        # The primary name first, so that it is the entry's display name.
        bucket = names.setdefault(row["unique_id"], [])
        if row["name_type"] == "primary":
            bucket.insert(0, row["full_name"])
        elif row["full_name"]:
            bucket.append(row["full_name"])
    dates: dict[str, list[PartialDate]] = {}
    for _, row in _table(files, DOBS):
        date = _date(row)
        if date:
            dates.setdefault(row["unique_id"], []).append(date)
    nameless = [
        (line, f"{r['unique_id']} has no name") for line, r in subjects if not names.get(r["unique_id"])
    ]
    if nameless:
        raise MalformedListFile.at_lines(SUBJECTS, nameless)
    entries = tuple(
        ListEntry(
            source=SOURCE,
            entry_id=row["unique_id"],
            schema=_SCHEMATA.get(row["subject_type"].lower(), Schema.UNKNOWN),
            names=tuple(dict.fromkeys(n for n in names[row["unique_id"]] if n)),
            birth_dates=tuple(dict.fromkeys(dates.get(row["unique_id"], []))),
            # The id's prefix is the regime (RUS, AFG, ...), not the subject's country.
            programs=(row["unique_id"].rstrip("0123456789"),),
        )
        for _, row in subjects
    )
    return ParsedList(SOURCE, content_hash(dict(files)), entries)
