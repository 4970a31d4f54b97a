"""What every parser returns, and the one error it raises."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

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


def decode_text(data: bytes) -> str:
    """Publishers' files are UTF-8 (some with a byte-order mark); older OFAC files are Latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
