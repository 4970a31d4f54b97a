"""Safe XML reading shared by the XML formats (defusedxml: no entity expansion, no DTD fetch)."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

from exportguard.adapters.sanctions_lists.snapshot import MalformedListFile


def parse_xml(data: bytes, file_name: str) -> Element:
    try:
        return SafeTree.fromstring(data)
    except ParseError as error:
        line = error.position[0] if error.position else 0
        raise MalformedListFile.at_lines(file_name, [(line, str(error))]) from error
    except DefusedXmlException as error:
        # Entity declarations (billion laughs, external entities) are never in a real list.
        raise MalformedListFile.at_lines(file_name, [(1, f"refused: {error}")]) from error


def text_of(element: Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def texts_of(element: Element, path: str) -> list[str]:
    return [t for t in ((e.text or "").strip() for e in element.iterfind(path)) if t]
