"""The UN Security Council Consolidated List, XML (scsanctions.un.org)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from exportguard.adapters.sanctions_lists.countries import country_codes
from exportguard.adapters.sanctions_lists.snapshot import (
    MalformedListFile,
    ParsedList,
    content_hash,
)
from exportguard.adapters.sanctions_lists.xml_reading import parse_xml, text_of, texts_of
from exportguard.domain.screening.entries import ListEntry, PartialDate, Schema

SOURCE = "un-consolidated"
FILE_NAME = "consolidated.xml"
# A "BETWEEN 1973 AND 1974" birth date becomes each year; a wider span says too little to use.
_MAX_YEAR_SPAN = 10


def _full_name(element: Element) -> str:
    parts = [text_of(element, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    return " ".join(p for p in parts if p)


def _birth_dates(element: Element) -> tuple[PartialDate, ...]:
    dates: list[PartialDate] = []
    for dob in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        exact = PartialDate.parse(text_of(dob, "DATE")[:10]) or PartialDate.parse(text_of(dob, "YEAR"))
        if exact:
            dates.append(exact)
            continue
        start, end = text_of(dob, "FROM_YEAR"), text_of(dob, "TO_YEAR")
        if (
            (start + end).isascii()
            and start.isdigit()
            and end.isdigit()
            and 0 <= int(end) - int(start) <= _MAX_YEAR_SPAN
        ):
            dates.extend(PartialDate(year) for year in range(int(start), int(end) + 1))
    return tuple(dict.fromkeys(dates))


def _entry(element: Element, schema: Schema) -> ListEntry:
    prefix = "INDIVIDUAL" if schema is Schema.PERSON else "ENTITY"
    primary = _full_name(element)
    # Entities sometimes list several names in one field: "CAGL ; GREAT LAKES BUSINESS COMPANY".
    names = [n.strip() for n in primary.split(" ; ")] if schema is Schema.ORGANISATION else [primary]
    names += texts_of(element, f"{prefix}_ALIAS/ALIAS_NAME")
    names += texts_of(element, "NAME_ORIGINAL_SCRIPT")
    countries = (
        texts_of(element, "NATIONALITY/VALUE")
        + texts_of(element, f"{prefix}_ADDRESS/COUNTRY")
        + texts_of(element, "INDIVIDUAL_PLACE_OF_BIRTH/COUNTRY")
    )
    return ListEntry(
        source=SOURCE,
        entry_id=text_of(element, "REFERENCE_NUMBER") or text_of(element, "DATAID"),
        schema=schema,
        names=tuple(dict.fromkeys(n for n in names if n)),
        countries=country_codes(countries),
        birth_dates=_birth_dates(element) if schema is Schema.PERSON else (),
        programs=tuple(texts_of(element, "UN_LIST_TYPE")),
        remarks=text_of(element, "COMMENTS1"),
    )


def parse_un_consolidated(data: bytes) -> ParsedList:
    root = parse_xml(data, FILE_NAME)
    if root.tag != "CONSOLIDATED_LIST":
        raise MalformedListFile.at_lines(FILE_NAME, [(1, f"root is <{root.tag}>, not <CONSOLIDATED_LIST>")])
    entries = [_entry(e, Schema.PERSON) for e in root.iterfind("INDIVIDUALS/INDIVIDUAL")]
    entries += [_entry(e, Schema.ORGANISATION) for e in root.iterfind("ENTITIES/ENTITY")]
    missing = [i for i, e in enumerate(entries, 1) if not e.entry_id or not e.names]
    if missing:
        raise MalformedListFile.at_lines(
            FILE_NAME, [(0, f"record {i} has no reference number or no name") for i in missing]
        )
    return ParsedList(SOURCE, content_hash({FILE_NAME: data}), tuple(entries), root.get("dateGenerated", ""))
