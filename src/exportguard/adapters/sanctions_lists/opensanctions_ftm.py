"""OpenSanctions' FollowTheMoney entities, one JSON object per line (the format that carries the
EU, UK and hundreds of other lists). Entities of other schemata (addresses, sanctions, ownership
links) are part of the format and are skipped."""

from __future__ import annotations

import json
from typing import Any

from exportguard.adapters.sanctions_lists.countries import country_code
from exportguard.adapters.sanctions_lists.snapshot import (
    MalformedListFile,
    ParsedList,
    content_hash,
    decode_text,
)
from exportguard.domain.screening.entries import ListEntry, PartialDate, Schema

SOURCE = "opensanctions"
FILE_NAME = "entities.ftm.json"
_SCHEMATA = {
    "Person": Schema.PERSON,
    "Company": Schema.ORGANISATION,
    "Organization": Schema.ORGANISATION,
    "PublicBody": Schema.ORGANISATION,
    "LegalEntity": Schema.UNKNOWN,
    "Vessel": Schema.VESSEL,
    "Airplane": Schema.VESSEL,
}
_NAME_PROPERTIES = ("name", "alias", "previousName", "weakAlias")
_COUNTRY_PROPERTIES = ("country", "nationality", "citizenship", "jurisdiction", "flag")


def _strings(properties: dict[str, Any], *keys: str) -> list[str]:
    values: list[str] = []
    for key in keys:
        found = properties.get(key, [])
        if not isinstance(found, list):
            continue  # FollowTheMoney properties are lists of strings; anything else says nothing
        values.extend(v for v in found if isinstance(v, str) and v.strip())
    return values


def _entry(record: dict[str, Any], source: str) -> ListEntry | None:
    schema = _SCHEMATA.get(str(record.get("schema", "")))
    properties = record.get("properties")
    if schema is None or not isinstance(properties, dict):
        return None
    names = _strings(properties, *_NAME_PROPERTIES)
    if not names:
        return None
    dates = [PartialDate.parse(d[:10]) for d in _strings(properties, "birthDate")]
    countries = [country_code(c) for c in _strings(properties, *_COUNTRY_PROPERTIES)]
    return ListEntry(
        source=source,
        entry_id=str(record["id"]),
        schema=schema,
        names=tuple(dict.fromkeys(n.strip() for n in names)),
        countries=frozenset(c for c in countries if c),
        birth_dates=tuple(dict.fromkeys(d for d in dates if d)),
        programs=tuple(dict.fromkeys(_strings(properties, "program", "programId", "topics"))),
        remarks="; ".join(_strings(properties, "notes"))[:2000],
    )


def parse_ftm_entities(data: bytes, source: str = SOURCE) -> ParsedList:
    entries: list[ListEntry] = []
    bad: list[tuple[int, str]] = []
    for line, text in enumerate(decode_text(data, FILE_NAME).splitlines(), start=1):
        if not text.strip():
            continue
        if "\\u0000" in text:
            bad.append((line, "contains a NUL character (\\u0000)"))
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            bad.append((line, f"not JSON: {error.msg}"))
            continue
        except RecursionError:
            bad.append((line, "nested too deeply to be an entity"))
            continue
        if not isinstance(record, dict) or not record.get("id") or "schema" not in record:
            bad.append((line, "not an entity (needs id and schema)"))
            continue
        entry = _entry(record, source)
        if entry is not None:
            entries.append(entry)
    if bad:
        raise MalformedListFile.at_lines(FILE_NAME, bad)
    return ParsedList(source, content_hash({FILE_NAME: data}), tuple(entries))
