"""A customs declaration file sent from the border page: checked only, or recorded (EPR s.5-6).

The file is the one ``exportguard shipments check`` and ``shipments record-file`` read (columns in
services/border/declarations.py). Checking it judges every line against a snapshot of the permits and
records the file's check, as the CLI does; recording it is the customs feed
(services/border/declaration_feed.py), batch by batch, and sending it again draws nothing (STYLE 13).

A file is refused whole, before anything is recorded, when it is not a CSV file, is larger than
``MAX_UPLOAD_BYTES``, is not UTF-8 text, has no header row naming the required columns, or has no
declaration line below it; the message names what is wrong.
"""

from __future__ import annotations

import codecs
import hashlib
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from exportguard.domain.access import Actor
from exportguard.domain.errors import InvalidInput, Problem
from exportguard.services.border import declarations
from exportguard.services.border.authorisations import may_check
from exportguard.services.border.circumstances import circumstances_of
from exportguard.services.border.declaration_feed import BAD_LINE, VERDICTS, DeclarationFeed, may_record
from exportguard.services.border.declarations import LineVerdict
from exportguard.services.border.read_model import load_snapshot
from exportguard.services.system import ExportGuard

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SHOWN_LINES = 500
CSV_SUFFIXES = (".csv", ".txt")
SAVE_AS = "save it as CSV (comma-separated values, UTF-8) with a header row"
CHECK_VERDICTS = ("authorised", "refused", BAD_LINE)


class Mode(StrEnum):
    CHECK = "check"
    RECORD = "record"


class FileTooLarge(InvalidInput):
    status = 413
    title = "File too large"


def too_large(what: str, size: int) -> FileTooLarge:
    limit = MAX_UPLOAD_BYTES // (1024 * 1024)
    message = (
        f"{what} is {size / (1024 * 1024):.1f} MB; the limit here is {limit} MB: split it, or send it "
        "with `exportguard shipments check` or `shipments record-file`"
    )
    return FileTooLarge(f"file: {message}", [Problem("file", message)])


@dataclass
class FileOutcome:
    """What a file got: lines per verdict, and the lines to show (the first ``SHOWN_LINES`` and
    every bad line; how many others were left out is said)."""

    name: str
    mode: Mode
    lines: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    shown: list[LineVerdict] = field(default_factory=list)
    left_out: int = 0

    @property
    def verdicts(self) -> tuple[str, ...]:
        """The verdicts this mode gives, in the order a summary names them."""
        return CHECK_VERDICTS if self.mode is Mode.CHECK else VERDICTS

    @property
    def first_lines(self) -> int:
        return min(self.lines, SHOWN_LINES)

    def add(self, verdicts: Iterable[LineVerdict]) -> FileOutcome:
        # The feed answers declaration by declaration, a batch at a time: lines in file order here.
        for v in sorted(verdicts, key=lambda v: v.line):
            self.lines += 1
            self.counts[v.verdict] += 1
            if self.lines <= SHOWN_LINES or v.verdict == BAD_LINE:
                self.shown.append(v)
            else:
                self.left_out += 1
        return self


def declaration_text(name: str, data: bytes) -> str:
    """The file's text, or ``InvalidInput`` naming what is wrong with it."""
    if not name.strip():
        raise InvalidInput.of("file", "choose a declaration file (CSV) to send")
    if not name.lower().endswith(CSV_SUFFIXES):
        raise InvalidInput.of("file", f"{name} is not a CSV file (.csv): {SAVE_AS}")
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large(name, len(data))
    if not data.strip():
        raise InvalidInput.of("file", f"{name} is empty: {SAVE_AS}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidInput.of("file", f"{name} is UTF-16 text, not UTF-8: {SAVE_AS}")
    if b"\0" in data:
        raise InvalidInput.of("file", f"{name} is a binary file (a spreadsheet?), not CSV text: {SAVE_AS}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.of(
            "file", f"{name} is not UTF-8 text (byte {exc.start + 1} cannot be read): {SAVE_AS}"
        ) from None


def _lines(text: str) -> io.StringIO:
    return io.StringIO(text, newline="")  # the csv module reads line ends itself


def _no_lines(name: str) -> InvalidInput:
    return InvalidInput.of("file", f"{name} has a header row but no declaration lines below it")


def check_upload(system: ExportGuard, actor: Actor, name: str, data: bytes) -> FileOutcome:
    """Judge every line against the permits it names, as they are now, and record the file's check
    (one row, as the CLI)."""
    may_check(actor)
    text = declaration_text(name, data)
    with system.read() as session:
        snapshot = load_snapshot(session, declarations.presented_permits(_lines(text)))
        around = circumstances_of(session, actor, snapshot.by_id.values())
    report = declarations.FileReport()
    verdicts = list(declarations.check_file(_lines(text), snapshot, actor, around))
    for v in verdicts:
        report.count(v)
    if not report.lines:
        raise _no_lines(name)
    with system.uow(actor) as uow:
        declarations.record_file_check(uow, name, hashlib.sha256(data).hexdigest(), report)
    return FileOutcome(name, Mode.CHECK).add(verdicts)


def record_upload(system: ExportGuard, actor: Actor, name: str, data: bytes) -> FileOutcome:
    """Record the file as the customs feed; the whole file is read before the first batch."""
    may_record(actor)
    feed = DeclarationFeed(_lines(declaration_text(name, data)))
    if not feed.rows:
        raise _no_lines(name)
    return FileOutcome(name, Mode.RECORD).add(feed.record(system, actor))
