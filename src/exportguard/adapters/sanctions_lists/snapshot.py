"""What every parser returns, and the one error it raises."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from exportguard.domain.errors import InvalidInput, Problem
from exportguard.domain.screening.entries import ListEntry


@dataclass(frozen=True)
class ParsedList:
    """The entries of one published file (or coherent set of files), with its content hash.

    The hash is of the bytes as published, so importing the same file twice is recognised
    whatever the parser's version.
    """

    source: str
    content_hash: str
    entries: tuple[ListEntry, ...]
    published: str = ""


class MalformedListFile(InvalidInput):
    """A list file that cannot be read as its format; ``problems`` names each bad line."""

    title = "Malformed sanctions list file"

    @classmethod
    def at_lines(cls, file_name: str, lines: list[tuple[int, str]]) -> MalformedListFile:
        problems = [Problem(f"{file_name} line {n}", message) for n, message in lines]
        numbers = ", ".join(str(n) for n, _ in lines[:20])
        more = f" and {len(lines) - 20} more" if len(lines) > 20 else ""
        return cls(f"{file_name}: malformed at line(s) {numbers}{more}", problems)


def content_hash(files: Mapping[str, bytes]) -> str:
    """SHA-256 over the files of a set, in name order, each prefixed by its name and size."""
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def decode_text(data: bytes, file_name: str) -> str:
    """Publishers' files are UTF-8 (some with a byte-order mark); older OFAC files are Latin-1.

    A NUL byte is in no real list and no database stores one: the file is refused at its line.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    nul = text.find("\x00")
    if nul >= 0:
        raise MalformedListFile.at_lines(file_name, [(text.count("\n", 0, nul) + 1, "contains a NUL byte")])
    return text


R = TypeVar("R")


def csv_records(reader: Iterable[R], file_name: str) -> Iterator[R]:
    """The records of a ``csv`` reader; a line it cannot read (an unclosed quote, a field over
    csv.field_size_limit(), 131,072 characters) makes the file malformed at that line."""
    records = iter(reader)
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except csv.Error as error:
            # A DictReader counts lines only after a good row: ask the csv reader inside it.
            line = getattr(getattr(reader, "reader", reader), "line_num", 0)
            raise MalformedListFile.at_lines(file_name, [(line, f"not readable as CSV: {error}")]) from error
        yield record


# What the snapshot's entry_id column holds (db/models/screening.py). Names have no such limit:
# the UN list names one entity in 400 characters (a hit keeps the first 300 of the name it matched).
MAX_ENTRY_ID = 80


def check_entries(file_name: str, entries: Iterable[ListEntry]) -> None:
    """Refuse the file if an entry's id is longer than a list entry's can be."""
    bad = [
        (0, f"entry {n}: id longer than {MAX_ENTRY_ID} characters")
        for n, entry in enumerate(entries, start=1)
        if len(entry.entry_id) > MAX_ENTRY_ID
    ]
    if bad:
        raise MalformedListFile.at_lines(file_name, bad)


# What a parser may raise on input it was not written for; each means "malformed", never a 500.
UNREADABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, csv.Error)


def read_safely(parse: Callable[[dict[str, bytes]], ParsedList], files: dict[str, bytes]) -> ParsedList:
    """Parse a set of files; whatever the parser cannot read is a MalformedListFile (nothing loads)."""
    name = ", ".join(sorted(files)) or "file"
    try:
        parsed = parse(files)
    except UNREADABLE as error:
        raise MalformedListFile.at_lines(
            name, [(0, f"unreadable: {type(error).__name__}: {error}")]
        ) from error
    check_entries(name, parsed.entries)
    return parsed
