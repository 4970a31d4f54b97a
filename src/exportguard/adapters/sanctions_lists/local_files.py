"""Reading a list from files on disk (an operator's download), matched to the publisher's set."""

from __future__ import annotations

from pathlib import Path

from exportguard.adapters.sanctions_lists.publishers import PUBLISHERS
from exportguard.adapters.sanctions_lists.snapshot import MalformedListFile, ParsedList

# Words in a local file name that say which file of a set it is (uk-subject-dobs-2026.csv).
_ROLE_HINTS: dict[str, tuple[tuple[str, str], ...]] = {
    "ofac-sdn": (("alt", "alt.csv"), ("add", "add.csv"), ("sdn", "sdn.csv")),
    "uk-sanctions": (("dob", "dobs.csv"), ("name", "names.csv"), ("subject", "subjects.csv")),
}


def read_list_files(source: str, paths: list[Path]) -> ParsedList:
    """Parse local files as ``source``'s publication; every file is read before parsing."""
    return read_list_bytes(source, [(path.name, path.read_bytes()) for path in paths])


def read_list_bytes(source: str, named: list[tuple[str, bytes]]) -> ParsedList:
    """Parse files given as (name, bytes), e.g. an upload, as ``source``'s publication.

    Each file is matched to its place in the publisher's set by its name; a file that cannot be
    placed, or a set with no file at all, is malformed (nothing is parsed half-way).
    """
    publisher = PUBLISHERS.get(source)
    if publisher is None:
        known = ", ".join(sorted(PUBLISHERS))
        raise MalformedListFile.at_lines(source, [(0, f"unknown list; known: {known}")])
    if not named:
        raise MalformedListFile.at_lines(source, [(0, "no file given")])
    files: dict[str, bytes] = {}
    expected = list(publisher.files)
    for file_name, data in named:
        hints = _ROLE_HINTS.get(source, ())
        role = next((name for hint, name in hints if hint in file_name.lower()), None)
        if role is None and len(expected) == 1:
            role = expected[0]
        if role is None or role in files:
            raise MalformedListFile.at_lines(
                file_name, [(0, f"cannot tell which of {', '.join(expected)} this file is")]
            )
        files[role] = data
    return publisher.read(files)
