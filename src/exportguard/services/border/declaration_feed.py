"""A customs declaration file recorded in batches: the customs feed from a file (EPR s.5-6).

The file is the one `shipments check` reads (same columns). Rows sharing a declaration_id are one
declaration with several lines, wherever they stand in the file; they must agree on permit,
shipped_on, port, destination and consignee, or every row of that declaration is a bad line naming
the field that differs. A row that cannot be read makes the other rows of its declaration bad lines
too: recording part of a declaration would answer the corrected file with a conflict.

The whole file is read and grouped first; the declarations are then recorded in the order of their
first row, a batch of declarations to a transaction, each export with its audit event. A crash loses
at most the batch in flight, and the file can simply be sent again: a declaration already recorded
with the same content answers already_recorded and draws nothing.

Each row gets its declaration's answer (recorded / already_recorded / refused / conflict /
not_found) with every reason, or bad_line. A reason naming lines[0] is about the declaration's first
row in the file, lines[1] its second, and so on; rows that draw on the same permit line are one line
of the recorded shipment (summed), and a file sent again compares equal to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from exportguard.domain.access import Action, Actor, require
from exportguard.domain.authorisation import Proposal
from exportguard.domain.errors import InvalidInput
from exportguard.services.border.customs_feed import (
    MAX_BATCH,
    Declared,
    Status,
    permits_as_presented,
    record_declarations,
)
from exportguard.services.border.declarations import DeclarationRow, LineVerdict, read_rows
from exportguard.services.system import ExportGuard

BATCH_SIZE = 500
# The sizes of the shipments' columns (db/models/permits.py): a longer value is a bad line, not a
# database error that would stop the batch.
DECLARATION_ID_MAX = 64
PORT_MAX = 120
BAD_LINE = "bad_line"
VERDICTS = (*(s.value for s in Status), BAD_LINE)

# The facts a declaration states once: every row of it must say the same.
_SHARED = ("permit", "shipped_on", "port", "destination", "consignee")


def _shared(row: DeclarationRow, proposal: Proposal) -> tuple[str, ...]:
    return (
        row.permit,
        proposal.shipped_on.isoformat(),
        row.port,
        proposal.destination or "",
        proposal.consignee or "",
    )


def group(rows: Iterable[DeclarationRow]) -> list[list[DeclarationRow]]:
    """The rows of each declaration, in the order of each declaration's first row.

    A row without a declaration id stands alone (it is a bad line).
    """
    by_id: dict[str | int, list[DeclarationRow]] = {}
    for row in rows:
        by_id.setdefault(row.declaration_id or row.line, []).append(row)
    return list(by_id.values())


def _unreadable(row: DeclarationRow) -> str:
    """Why the row cannot be recorded on its own ("" if it can)."""
    if row.proposal is None:
        return row.problem
    if len(row.declaration_id) > DECLARATION_ID_MAX:
        return f"declaration_id: longer than {DECLARATION_ID_MAX} characters"
    if len(row.port) > PORT_MAX:
        return f"port: longer than {PORT_MAX} characters"
    return ""


def unrecordable(rows: Sequence[DeclarationRow]) -> list[list[str]] | None:
    """Why each row of one declaration cannot be recorded (one list of reasons per row), or None."""
    problems = [_unreadable(r) for r in rows]
    unread = [r.line for r, problem in zip(rows, problems, strict=True) if problem]
    if unread:
        lines = f"line{'s' if len(unread) > 1 else ''} {', '.join(map(str, unread))}"
        others = f"declaration_id: {lines} of declaration {rows[0].declaration_id} cannot be read"
        return [[problem or others] for problem in problems]
    said = [_shared(r, r.proposal) for r in rows if r.proposal is not None]
    reasons = []
    for n, name in enumerate(_SHARED):
        first: dict[str, int] = {}
        for row, values in zip(rows, said, strict=True):
            first.setdefault(values[n], row.line)
        if len(first) > 1:
            each = ", ".join(f"'{value}' on line {line}" for value, line in first.items())
            reasons.append(
                f"{name}: differs between the lines of declaration {rows[0].declaration_id}: {each}"
            )
    return [reasons for _ in rows] if reasons else None


def _declared(rows: Sequence[DeclarationRow]) -> Proposal:
    """The declaration the rows make together: its facts from the first row, a line per row."""
    proposals = [r.proposal for r in rows if r.proposal is not None]
    first = proposals[0]
    return Proposal(
        first.shipped_on,
        tuple(ln for p in proposals for ln in p.lines),
        destination=first.destination,
        consignee=first.consignee,
    )


@dataclass
class FeedReport:
    """Rows per verdict, and the numbers of the bad lines."""

    lines: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    bad: list[int] = field(default_factory=list)

    def count(self, v: LineVerdict) -> None:
        self.lines += 1
        self.counts[v.verdict] += 1
        if v.verdict == BAD_LINE:
            self.bad.append(v.line)

    @property
    def all_recorded(self) -> bool:
        """Every row is recorded, now or before."""
        done = self.counts[Status.RECORDED.value] + self.counts[Status.ALREADY_RECORDED.value]
        return done == self.lines

    def summary(self) -> str:
        counts = ", ".join(f"{self.counts[v]} {v.replace('_', ' ')}" for v in VERDICTS)
        more = " ..." if len(self.bad) > 20 else ""
        bad = f"; bad lines: {', '.join(map(str, sorted(self.bad)[:20]))}{more}" if self.bad else ""
        return f"{self.lines} lines: {counts}{bad}"


def may_record(actor: Actor) -> None:
    """Only the roles that record exports may record a declaration file (asked before reading it)."""
    require(actor, Action.RECORD_SHIPMENT)


class DeclarationFeed:
    """A declaration file read and grouped, to be recorded batch by batch."""

    def __init__(self, lines: Iterable[str], *, batch_size: int = BATCH_SIZE) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise InvalidInput.of("batch_size", f"must be from 1 to {MAX_BATCH}")
        self.batch_size = batch_size
        self.declarations = group(read_rows(lines))
        self.rows = sum(len(rows) for rows in self.declarations)

    def record(self, system: ExportGuard, actor: Actor) -> Iterator[LineVerdict]:
        """Record the file as ``actor``, one unit of work per batch; a verdict per row, the rows of a
        batch in line order as each batch commits. An actor who may not record is refused at once."""
        may_record(actor)
        return self._batches(system, actor)

    def _batches(self, system: ExportGuard, actor: Actor) -> Iterator[LineVerdict]:
        batch: list[Sequence[DeclarationRow]] = []
        verdicts: list[LineVerdict] = []
        for rows in self.declarations:
            why = unrecordable(rows)
            if why is None:
                batch.append(rows)
            else:
                verdicts += [r.verdict(BAD_LINE, reasons) for r, reasons in zip(rows, why, strict=True)]
            if len(batch) == self.batch_size:
                yield from sorted(verdicts + _record(system, actor, batch), key=lambda v: v.line)
                batch, verdicts = [], []
        yield from sorted(verdicts + _record(system, actor, batch), key=lambda v: v.line)


def _record(
    system: ExportGuard, actor: Actor, batch: Sequence[Sequence[DeclarationRow]]
) -> list[LineVerdict]:
    """One batch of declarations recorded in one unit of work; each row answered by its declaration."""
    if not batch:
        return []
    proposals = [_declared(rows) for rows in batch]
    with system.uow(actor) as uow:
        permits = permits_as_presented(
            uow, [(rows[0].permit, p.shipped_on) for rows, p in zip(batch, proposals, strict=True)]
        )
        result = record_declarations(
            uow,
            [
                Declared(
                    rows[0].declaration_id,
                    permit,
                    rows[0].permit,
                    proposal,
                    rows[0].port,
                )
                for rows, permit, proposal in zip(batch, permits, proposals, strict=True)
            ],
        )
    return [
        row.verdict(outcome.status.value, outcome.reasons, (f.message for f in outcome.diversion_flags))
        for rows, outcome in zip(batch, result.outcomes, strict=True)
        for row in rows
    ]
