"""Canada's Consolidated Special Economic Measures Act list, XML (Global Affairs Canada)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from exportguard.adapters.sanctions_lists.snapshot import (
    MalformedListFile,
    ParsedList,
    content_hash,
)
from exportguard.adapters.sanctions_lists.xml_reading import parse_xml, text_of
from exportguard.domain.screening.entries import ListEntry, PartialDate, Schema

SOURCE = "canada-sema"
FILE_NAME = "sema-lmes.xml"


def _entry(record: Element) -> ListEntry | None:
    regime = text_of(record, "Country")
    entity = text_of(record, "Entity") or text_of(record, "EntityOrShip")
    given, last = text_of(record, "GivenName"), text_of(record, "LastName")
    schema = Schema.ORGANISATION if entity else Schema.PERSON
    primary = entity or " ".join(p for p in (given, last) if p)
    if not primary:
        return None
    # Aliases are one comma-separated field; company aliases contain no commas of their own
    # except before legal forms, which the matcher ignores anyway.
    aliases = [a.strip() for a in text_of(record, "Aliases").split(",") if a.strip()]
    birth = PartialDate.parse(text_of(record, "DateOfBirth")[:10])
    return ListEntry(
        source=SOURCE,
        entry_id=f"{regime}/{text_of(record, 'Schedule')}/{text_of(record, 'Item')}",
        schema=schema,
        names=tuple(dict.fromkeys([primary, *aliases])),
        # "Country" names the sanctions regime, not the party's nationality (the Russia
        # regime lists Ukrainian and Belarusian nationals), so it is a program, not a country.
        birth_dates=(birth,) if birth else (),
        programs=(f"SEMA {regime}",),
        remarks=text_of(record, "Title"),
    )


def parse_canada_sema(data: bytes) -> ParsedList:
    root = parse_xml(data, FILE_NAME)
    if root.tag != "data-set":
        raise MalformedListFile.at_lines(FILE_NAME, [(1, f"root is <{root.tag}>, not <data-set>")])
    entries: list[ListEntry] = []
    empty: list[int] = []
    for number, record in enumerate(root.iterfind("record"), start=1):
        entry = _entry(record)
        if entry is None:
            empty.append(number)
        else:
            entries.append(entry)
    if empty:
        raise MalformedListFile.at_lines(
            FILE_NAME, [(0, f"record {n} has neither Entity nor a person's name") for n in empty]
        )
    return ParsedList(SOURCE, content_hash({FILE_NAME: data}), tuple(entries))
