"""A customs declaration file checked line by line against the permits (EPR s.5-6).

One CSV row is one declaration line. Columns (header row required, any order, names as below):

    declaration_id  required  the customs declaration (several rows may share one)
    shipped_on      required  YYYY-MM-DD
    permit          required  permit number as presented (or its id)
    quantity        required  whole number, above zero
    line_no         optional  permit line number
    item_code       optional  Export Control List item, e.g. 2-15
    product_id      optional  product id
    value           optional  declared value, e.g. 1200000.00 (default quantity x unit value)
    destination     optional  ISO 3166 code, e.g. TR
    consignee       optional  consignee's name or party id
    port            optional  not checked; carried into the verdict

Each row gets a verdict (authorised / refused / bad_line) with every reason. Rows are judged in
file order against one snapshot of the permits, and what an authorised row would draw is counted
against the rows after it, so a file cannot authorise more than a permit line has left. A row that
cannot be read (malformed date, non-integer quantity, missing column...) is reported with its line
number and the rest of the file is still checked; so is a row naming a permit the register does not
know (its reason says "no permit ...").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from sys import intern
from typing import Any

from exportguard.domain.access import Actor
from exportguard.domain.authorisation import (
    Drawn,
    Proposal,
    ProposedLine,
    ReasonCode,
    Verdict,
)
from exportguard.domain.errors import InvalidInput
from exportguard.services.border.authorisations import record_checks
from exportguard.services.border.circumstances import Circumstances, decide
from exportguard.services.border.read_model import Snapshot, find_permit
from exportguard.services.kernel.unit_of_work import UnitOfWork

REQUIRED = ("declaration_id", "shipped_on", "permit", "quantity")
OPTIONAL = ("line_no", "item_code", "product_id", "value", "destination", "consignee", "port")
COLUMNS = REQUIRED + OPTIONAL


@dataclass(frozen=True)
class LineVerdict:
    line: int
    declaration_id: str
    permit: str
    shipped_on: str
    verdict: str  # authorised | refused | bad_line
    reasons: tuple[str, ...] = ()
    port: str = ""
    # The diversion flags shown beside the verdict, each with its source (as the single check).
    flags: tuple[str, ...] = ()


@dataclass
class FileReport:
    lines: int = 0
    authorised: int = 0
    refused: int = 0
    bad: list[int] = field(default_factory=list)

    def count(self, v: LineVerdict) -> None:
        self.lines += 1
        if v.verdict == "authorised":
            self.authorised += 1
        elif v.verdict == "refused":
            self.refused += 1
        else:
            self.bad.append(v.line)


class BadLine(ValueError):
    """A row that cannot be read; the message names the column."""


def check_header(header: list[str] | None) -> list[str]:
    names = [h.strip() for h in header or []]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise InvalidInput.of(
            "header", f"line 1: missing column(s) {', '.join(missing)}; need {', '.join(REQUIRED)}"
        )
    return names


def _int(row: dict[str, str], name: str, *, required: bool = False) -> int | None:
    text = row.get(name, "").strip()
    if not text:
        if required:
            raise BadLine(f"{name}: missing")
        return None
    try:
        return int(text)
    except ValueError:
        raise BadLine(f"{name}: '{text}' is not a whole number") from None


@lru_cache(maxsize=4096)
def _day(text: str) -> date:
    """One date object per day named: a file of a million rows names a few hundred days."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadLine(f"shipped_on: '{text}' is not a date (YYYY-MM-DD)") from None


def _proposal(row: dict[str, str]) -> Proposal:
    day = _day(row["shipped_on"].strip())
    value_text = row.get("value", "").strip()
    try:
        value = Decimal(value_text) if value_text else None
    except InvalidOperation:
        raise BadLine(f"value: '{value_text}' is not an amount") from None
    if value is not None and value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise BadLine(f"value: '{value_text}' has more than two decimal places")
    line = ProposedLine(
        _int(row, "quantity", required=True) or 0,
        line_no=_int(row, "line_no"),
        item_code=row.get("item_code", "").strip() or None,
        product_id=_int(row, "product_id"),
        value=value,
    )
    return Proposal(
        day,
        (line,),
        destination=intern(row.get("destination", "").strip()) or None,
        consignee=intern(row.get("consignee", "").strip()) or None,
    )


@dataclass(frozen=True, slots=True)
class DeclarationRow:
    """One row of a declaration file as read: what it says and its proposal, or why it cannot be read."""

    line: int
    declaration_id: str
    permit: str
    shipped_on: str
    port: str
    proposal: Proposal | None
    problem: str = ""

    def verdict(self, verdict: str, reasons: Iterable[str] = (), flags: Iterable[str] = ()) -> LineVerdict:
        return LineVerdict(
            self.line,
            self.declaration_id,
            self.permit,
            self.shipped_on,
            verdict,
            tuple(reasons),
            self.port,
            tuple(flags),
        )


def _read_cells(header: list[str], cells: list[str], row: dict[str, str]) -> Proposal:
    """``row``: the cells by column name."""
    width = len(header)
    if len(cells) < width:
        # A short row may leave off empty optional columns, not required ones.
        missing = [c for c in REQUIRED if header.index(c) >= len(cells)]
        if missing:
            raise BadLine(f"missing column(s) {', '.join(missing)}")
        row = {**dict.fromkeys(header, ""), **row}
    if len(cells) > width:
        raise BadLine(f"{len(cells)} fields where the header has {width}")
    for name in ("declaration_id", "permit"):
        if not row[name].strip():
            raise BadLine(f"{name}: missing")
    return _proposal(row)


def read_rows(lines: Iterable[str]) -> Iterator[DeclarationRow]:
    """The rows of a declaration file's text lines (header first, checked); blank lines are skipped.

    A file that is not UTF-8 text, or that the CSV reader cannot read, is refused whole (``InvalidInput``).
    """
    reader = csv.reader(lines)
    try:
        header = check_header(next(reader, None))
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue  # a blank line is not a declaration
            row = dict(zip(header, cells, strict=False))
            try:
                proposal, problem = _read_cells(header, cells, row), ""
            except BadLine as bad:
                proposal, problem = None, str(bad)
            # Interned: a file of a million rows names a few permits, days and ports, and a
            # declaration feed keeps every row until it is recorded.
            yield DeclarationRow(
                reader.line_num,
                row.get("declaration_id", "").strip(),
                intern(row.get("permit", "").strip()),
                intern(row.get("shipped_on", "").strip()),
                intern(row.get("port", "").strip()),
                proposal,
                problem,
            )
    except csv.Error as error:
        raise InvalidInput.of("file", f"line {reader.line_num}: {error}") from None
    except UnicodeDecodeError:
        raise InvalidInput.of("file", "not UTF-8 text") from None


class DeclarationChecker:
    """Judges rows against one snapshot, counting what authorised rows would draw."""

    def __init__(self, snapshot: Snapshot, actor: Actor, circumstances: Circumstances) -> None:
        self._snap = snapshot
        self._actor = actor
        self._around = circumstances
        self._pending: dict[int, Drawn] = {}  # by permit line id: drawn by earlier rows of the file

    def judge(self, proposal: Proposal, presented: str) -> tuple[Verdict, tuple[str, ...]]:
        """The row's verdict, and the messages of the flags shown beside it."""
        permit = find_permit(self._snap, self._actor, presented, proposal.shipped_on)
        drawn: dict[int, Drawn] = {}
        if permit is not None:
            for ln in permit.lines:
                base = self._snap.drawn.get(ln.line_id, Drawn())
                extra = self._pending.get(ln.line_id)
                drawn[ln.line_no] = (
                    base if extra is None else Drawn(base.quantity + extra.quantity, base.value + extra.value)
                )
        answer = decide(permit, proposal, drawn, self._around, presented=presented)
        for d in answer.verdict.drawdowns:
            was = self._pending.get(d.line_id, Drawn())
            self._pending[d.line_id] = Drawn(was.quantity + d.quantity, was.value + d.value)
        return answer.verdict, tuple(f.message for f in answer.flags)

    def check_rows(self, rows: Iterable[DeclarationRow]) -> Iterator[LineVerdict]:
        for row in rows:
            if row.proposal is None:
                yield row.verdict("bad_line", (row.problem,))
                continue
            verdict, flags = self.judge(row.proposal, row.permit)
            yield row.verdict(_verdict_of(verdict), verdict.messages(), flags)


def _verdict_of(verdict: Verdict) -> str:
    if verdict.authorised:
        return "authorised"
    # A permit number the register does not know is most often a mistyped line: report it with
    # the unreadable ones (its reason still says "no permit ...").
    if any(r.code is ReasonCode.NO_PERMIT for r in verdict.reasons):
        return "bad_line"
    return "refused"


def presented_permits(lines: Iterable[str]) -> set[str]:
    """The permits a declaration file's lines name (what its snapshot must hold)."""
    return {row.permit for row in read_rows(lines) if row.permit}


def check_file(
    lines: Iterable[str], snapshot: Snapshot, actor: Actor, circumstances: Circumstances
) -> Iterator[LineVerdict]:
    """Verdicts for a declaration file's text lines (header first); ``circumstances``: those of the
    snapshot's permits (``circumstances.circumstances_of``)."""
    yield from DeclarationChecker(snapshot, actor, circumstances).check_rows(read_rows(lines))


FILE_PREFIX = "file:"  # a file's check names the file where a single check names a permit


def record_file_check(uow: UnitOfWork, name: str, sha256: str, report: FileReport) -> None:
    """Record that ``uow.actor`` checked the file ``name`` (its SHA-256 and what was found); commits."""
    record_checks(uow.session, [file_check_row(uow.actor, uow.clock.now(), name, sha256, report)])
    uow.commit()


def file_check_row(
    actor: Actor, asked_at: datetime, name: str, sha256: str, report: FileReport
) -> dict[str, Any]:
    """The record of a file's check: one row per file (who, when, which file, what was found)."""
    return {
        "asked_at": asked_at,
        "principal": actor.principal,
        "role": actor.role.value,
        "permit_ref": f"{FILE_PREFIX}{name}"[:64],
        "permit_id": None,
        "shipped_on": asked_at.date(),
        "question": {"file": name, "sha256": sha256, "lines": report.lines},
        "authorised": report.refused == 0 and not report.bad,
        "reasons": [
            {
                "code": "file_summary",
                "field": "file",
                "message": f"{report.authorised} authorised, {report.refused} refused, {len(report.bad)} bad",
            },
            *({"code": "bad_line", "field": f"line {n}", "message": "unreadable"} for n in report.bad[:1000]),
        ],
    }
