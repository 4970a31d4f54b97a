"""A customs feed: many declarations recorded in one transaction, each with its own outcome.

The border posts send declarations by the hundred; recording each in a transaction of its own
would spend a commit (and the audit chain head) per export. A batch is judged and drawn as one:
the permits are read once (held FOR SHARE, in id order, as the Minister's bulk acts take them FOR
UPDATE), the balances of every line drawn on are locked once in line order (``lock_balances``) and
shared out in the feed's order, so a line is never overdrawn and a later declaration is told what
the earlier ones left. Each declaration is still its own answer: recorded, already recorded (the
same declaration id and content, STYLE 13), refused with every reason, a conflict (the id reused
with other content) or not found, and each recorded export has its own audit event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, cast

from pydantic import Field
from sqlalchemy import Table, insert, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from exportguard.db.models import Permit, Shipment, ShipmentLine
from exportguard.domain import shipments as rules
from exportguard.domain.access import Action
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.authorisation import (
    Drawdown,
    Drawn,
    PermitFacts,
    Proposal,
    ProposedLine,
    Verdict,
    choose_version,
    resolved_lines,
)
from exportguard.domain.chronology import check_not_far_ahead
from exportguard.domain.errors import DomainError
from exportguard.domain.shipments import Declaration, DeclaredLine
from exportguard.services.border.circumstances import Circumstances, circumstances_of, decide
from exportguard.services.border.drawdowns import add_to_balances, lock_balances
from exportguard.services.border.permit_facts import facts_of, mark_permits_changed
from exportguard.services.border.shipment_views import (
    EntryLine,
    NewEntry,
    ShipmentView,
    view_from_facts,
)
from exportguard.services.border.shipments import LEGAL_BASIS, ShipmentInput
from exportguard.services.kernel.common import Input, View, record_id
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.parties.diversion_flags import FlagView

MAX_BATCH = 1000
SHIPMENTS = cast(Table, Shipment.__table__)
SHIPMENT_LINES = cast(Table, ShipmentLine.__table__)
# Where a declaration id lives: (exporter organisation, declaration id); ids are each exporter's own.
Key = tuple[int, str]


class Status(StrEnum):
    RECORDED = "recorded"
    ALREADY_RECORDED = "already_recorded"
    REFUSED = "refused"
    CONFLICT = "conflict"
    NOT_FOUND = "not_found"


class BatchInput(Input):
    shipments: list[ShipmentInput] = Field(
        min_length=1, max_length=MAX_BATCH, description=f"Declarations in feed order (at most {MAX_BATCH})"
    )


class Outcome(View):
    """One declaration's answer; ``shipment`` is the entry recorded (now or before)."""

    declaration_id: str
    status: Status
    reasons: list[str] = []
    shipment: ShipmentView | None = None
    # Shown beside the answer, as the single check shows them (services/border/circumstances.py).
    diversion_flags: list[FlagView] = []


class BatchResult(View):
    recorded: int
    already_recorded: int
    refused: int
    conflict: int
    not_found: int
    outcomes: list[Outcome]


@dataclass(frozen=True)
class Declared:
    """One declaration of a feed, with the permit version it is judged against (None: no permit)."""

    declaration_id: str
    permit: PermitFacts | None
    presented: str
    proposal: Proposal
    port: str = ""


def _facts(session: Session, stmt: Any) -> list[PermitFacts]:
    """Facts of the permits ``stmt`` selects, their rows held FOR SHARE in id order until commit."""
    permits = session.scalars(stmt.order_by(Permit.id).with_for_update(read=True, of=Permit)).all()
    return facts_of(session, permits)


def _visible(uow: UnitOfWork, permits: list[PermitFacts]) -> list[PermitFacts]:
    actor = uow.actor
    return [p for p in permits if actor.sees(p.holder_id)]


def record_batch(uow: UnitOfWork, data: BatchInput) -> BatchResult:
    """POST /shipments/batch: each declaration names a permit version by id, as ``record_shipment``."""
    uow.require(Action.RECORD_SHIPMENT)
    for n, s in enumerate(data.shipments):
        check_not_far_ahead(s.shipped_on, uow.clock.today(), f"shipments.{n}.shipped_on")
    ids = {s.permit_id for s in data.shipments}
    by_id = {p.id: p for p in _visible(uow, _facts(uow.session, select(Permit).where(Permit.id.in_(ids))))}
    return record_declarations(
        uow,
        [
            Declared(
                s.declaration_id,
                by_id.get(s.permit_id),
                str(s.permit_id),
                Proposal(
                    s.shipped_on,
                    tuple(
                        ProposedLine(ln.quantity, line_no=ln.permit_line_no, value=ln.value) for ln in s.lines
                    ),
                    destination=s.destination,
                    consignee=s.consignee,
                ),
                s.port,
            )
            for s in data.shipments
        ],
    )


def permits_as_presented(uow: UnitOfWork, presented: Sequence[tuple[str, date]]) -> list[PermitFacts | None]:
    """For each (permit number or id as presented, day): the version that answers for that day.

    The versions are read FOR SHARE, as ``record_declarations`` needs them; exporters see only
    their own organisation's permits.
    """
    uow.require(Action.RECORD_SHIPMENT)
    keys = {key.strip() for key, _ in presented}
    ids = [i for i in (record_id(k) for k in keys) if i is not None]
    numbers = [k for k in keys if record_id(k) is None]
    stmt = select(Permit).where(or_(Permit.number.in_(numbers), Permit.id.in_(ids)))
    versions: dict[str, list[PermitFacts]] = {}
    for p in _visible(uow, _facts(uow.session, stmt)):
        versions.setdefault(p.number, []).append(p)
        versions.setdefault(str(p.id), []).append(p)
    return [choose_version(versions.get(key.strip(), []), day) for key, day in presented]


def record_declarations(uow: UnitOfWork, declared: Sequence[Declared]) -> BatchResult:
    """Judge, draw and record ``declared`` in feed order; one commit, one audit event per export."""
    uow.require(Action.RECORD_SHIPMENT)
    session = uow.session
    outcomes: list[Outcome | None] = [None] * len(declared)
    around = circumstances_of(session, uow.actor, [d.permit for d in declared])
    # Judged first on the permits alone (validity, holds, parties, goods): what remains is settled below.
    judged = {
        n: decide(d.permit, d.proposal, {}, around, presented=d.presented).verdict
        for n, d in enumerate(declared)
    }
    # The balances of every line the feed may draw on are locked (in line order) before looking for
    # declarations already recorded: a concurrent feed drawing on those lines has committed by now.
    held = lock_balances(session, {dd.line_id for v in judged.values() for dd in v.drawdowns})
    existing = _existing(session, {k for k in map(_key, declared) if k is not None})
    verdicts: dict[int, Verdict] = {}  # the declarations to record
    first_of: dict[Key, int] = {}  # (exporter, declaration id) -> its first position in the feed
    drawn: dict[int, Drawn] = {}  # by permit line id: what this feed draws
    for n, d in enumerate(declared):
        key = _key(d)
        if key is not None and key in existing:
            outcomes[n] = _again(d, existing[key])
        elif first_of.setdefault(key or (0, d.declaration_id), n) != n:
            continue  # a repeat within the feed: answered below, from its first use
        elif not judged[n].authorised:
            outcomes[n] = _refused(d, judged[n])
        else:
            # Judged again on what is drawn: the locked balances and the feed's earlier declarations.
            permit = cast(PermitFacts, d.permit)
            used = {
                ln.line_no: held[ln.line_id] + drawn.get(ln.line_id, Drawn())
                for ln in permit.lines
                if ln.line_id in held
            }
            verdict = decide(permit, d.proposal, used, around, presented=d.presented).verdict
            if not verdict.authorised:
                outcomes[n] = _refused(d, verdict)
                continue
            verdicts[n] = verdict
            for dd in verdict.drawdowns:
                drawn[dd.line_id] = drawn.get(dd.line_id, Drawn()) + Drawn(dd.quantity, dd.value)
    recorded = _insert(uow, declared, verdicts)
    for n, shipment in recorded.items():
        d = declared[n]
        assert d.permit is not None
        view = view_from_facts(shipment, d.permit)
        outcomes[n] = Outcome(declaration_id=d.declaration_id, status=Status.RECORDED, shipment=view)
        uow.record(
            AuditEntry(
                command=AuditCommand.RECORD_SHIPMENT,
                subject_type="shipment",
                subject_id=shipment.id,
                subject_ref=shipment.declaration_id[:64],
                legal_basis=LEGAL_BASIS,
                reason=f"export against permit {d.permit.ref} (customs feed)",
                effective_date=shipment.shipped_on,
                before=None,
                after=view.audit_form(),
            )
        )
    # A concurrent feed recorded the same declaration first: ours is a resubmission after all.
    lost = set(verdicts) - set(recorded)
    twins = _existing(session, {cast(Key, _key(declared[n])) for n in lost}) if lost else {}
    for n in lost:
        _give_back(drawn, verdicts[n].drawdowns)
        outcomes[n] = _again(declared[n], twins[cast(Key, _key(declared[n]))])
    add_to_balances(session, drawn)
    # Repeats of a declaration id within the batch answer as a resubmission of its first use.
    for n, d in enumerate(declared):
        if outcomes[n] is None:
            outcomes[n] = _repeat(d, declared, outcomes, first_of)
    if recorded:
        mark_permits_changed(session)
    uow.commit()
    return _result([_flagged(o, d, around) for o, d in zip(outcomes, declared, strict=True) if o is not None])


def _flagged(outcome: Outcome, d: Declared, around: Circumstances) -> Outcome:
    flags = around.flags_on(d.permit, d.proposal.shipped_on)
    return outcome.model_copy(update={"diversion_flags": list(flags)}) if flags else outcome


def _give_back(drawn: dict[int, Drawn], drawdowns: Sequence[Drawdown]) -> None:
    for dd in drawdowns:
        drawn[dd.line_id] = drawn[dd.line_id] + Drawn(-dd.quantity, -dd.value)


def _insert(
    uow: UnitOfWork, declared: Sequence[Declared], verdicts: Mapping[int, Verdict]
) -> dict[int, NewEntry]:
    """Insert the entries (one executemany); a declaration id a concurrent feed took is left out."""
    session = uow.session
    if not verdicts:
        return {}
    now, who = uow.clock.now(), uow.actor.principal
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [
        {
            "exporter_id": cast(PermitFacts, declared[n].permit).holder_id,
            "declaration_id": declared[n].declaration_id,
            "permit_id": cast(PermitFacts, declared[n].permit).id,
            "shipped_on": declared[n].proposal.shipped_on,
            "port": declared[n].port,
            "reverses_id": None,
            "reason": "",
            "recorded_at": now,
            "recorded_by": who,
        }
        for n in verdicts
    ]
    ids: dict[Key, int] = {
        (exporter, declaration): i
        for exporter, declaration, i in session.execute(
            upsert(SHIPMENTS)
            .on_conflict_do_nothing(index_elements=["exporter_id", "declaration_id"])
            .returning(SHIPMENTS.c.exporter_id, SHIPMENTS.c.declaration_id, SHIPMENTS.c.id),
            rows,
        ).all()
    }
    out = {
        n: NewEntry(
            ids[cast(Key, _key(declared[n]))],
            declared[n].declaration_id,
            declared[n].proposal.shipped_on,
            declared[n].port,
            who,
            now,
            "",
            tuple(
                EntryLine(dd.line_id, dd.quantity, dd.value, dd.currency)
                for dd in sorted(verdict.drawdowns, key=lambda dd: dd.line_no)
            ),
        )
        for n, verdict in verdicts.items()
        if _key(declared[n]) in ids
    }
    lines = [
        {
            "shipment_id": e.id,
            "permit_line_id": ln.permit_line_id,
            "quantity": ln.quantity,
            "value": ln.value,
            "currency": ln.currency,
        }
        for e in out.values()
        for ln in e.lines
    ]
    if lines:
        session.execute(insert(SHIPMENT_LINES), lines)
    return out


def _key(d: Declared) -> Key | None:
    """Where ``d``'s declaration id lives: its exporter's namespace (None: no permit, no exporter)."""
    return None if d.permit is None else (d.permit.holder_id, d.declaration_id)


def _existing(session: Session, keys: set[Key]) -> dict[Key, Shipment]:
    """The entries already recorded under these (exporter, declaration id), with their lines (two
    queries); another exporter's entry under the same id is not one of them."""
    if not keys:
        return {}
    return {
        (s.exporter_id, s.declaration_id): s
        for s in session.scalars(
            select(Shipment)
            .where(tuple_(Shipment.exporter_id, Shipment.declaration_id).in_(keys))
            .options(selectinload(Shipment.lines))
        )
    }


def _declaration(d: Declared) -> Declaration | None:
    """What ``d`` declares per permit line (lines naming the same one summed, as the entry records
    them), to compare with a recorded entry; None if a line names no line of the permit."""
    if d.permit is None:
        return None
    resolved = resolved_lines(d.permit, d.proposal)
    if resolved is None:
        return None
    per_line: dict[int, tuple[int, Decimal]] = {}
    for ln, want in resolved:
        qty, value = per_line.get(ln.line_no, (0, Decimal("0.00")))
        declared = ln.unit_value * want.quantity if want.value is None else want.value
        per_line[ln.line_no] = (qty + want.quantity, value + declared)
    return Declaration(
        d.permit.id,
        d.proposal.shipped_on,
        d.port,
        tuple(DeclaredLine(no, qty, value) for no, (qty, value) in per_line.items()),
    )


def _again(d: Declared, recorded: Shipment) -> Outcome:
    """A declaration id already recorded: harmless if the content is the same, else a conflict.

    Answered from the permit's facts in hand (no query per declaration: a resent feed is all these).
    """
    again = _declaration(d)
    if recorded.reverses_id is not None or again is None or d.permit is None:
        return Outcome(
            declaration_id=d.declaration_id,
            status=Status.CONFLICT,
            reasons=["declaration_id: already recorded for a different shipment"],
        )
    same_permit = recorded.permit_id == d.permit.id
    line_no = {ln.line_id: ln.line_no for ln in d.permit.lines}
    was = Declaration(
        recorded.permit_id,
        recorded.shipped_on,
        recorded.port,
        # Another permit differs at permit_id, the first thing compared: its lines need no names.
        tuple(
            DeclaredLine(line_no[sl.permit_line_id], sl.quantity, Decimal(sl.value)) for sl in recorded.lines
        )
        if same_permit
        else (),
    )
    try:
        rules.check_resubmission(d.declaration_id, was, again)
    except DomainError as error:
        return Outcome(
            declaration_id=d.declaration_id,
            status=Status.CONFLICT,
            reasons=[f"{p.field}: {p.message}" for p in error.problems],
        )
    view = view_from_facts(recorded, d.permit)
    return Outcome(
        declaration_id=d.declaration_id,
        status=Status.ALREADY_RECORDED,
        shipment=view.model_copy(update={"already_recorded": True}),
    )


def _repeat(
    d: Declared, declared: Sequence[Declared], outcomes: Sequence[Outcome | None], first_of: Mapping[Key, int]
) -> Outcome:
    """The same declaration id again in one feed: a resubmission of its first use if that was
    recorded (harmless if the content is the same), else refused with it."""
    n = first_of[_key(d) or (0, d.declaration_id)]
    first = outcomes[n]
    if first is None or first.status is not Status.RECORDED or first.shipment is None:
        return Outcome(
            declaration_id=d.declaration_id,
            status=Status.REFUSED,
            reasons=["declaration_id: appears earlier in the batch, which was not recorded"],
        )
    if _declaration(d) != _declaration(declared[n]):
        return Outcome(
            declaration_id=d.declaration_id,
            status=Status.CONFLICT,
            reasons=["declaration_id: appears earlier in the batch with other content"],
        )
    return Outcome(
        declaration_id=d.declaration_id,
        status=Status.ALREADY_RECORDED,
        shipment=first.shipment.model_copy(update={"already_recorded": True}),
    )


def _refused(d: Declared, verdict: Verdict) -> Outcome:
    status = Status.NOT_FOUND if d.permit is None else Status.REFUSED
    return Outcome(
        declaration_id=d.declaration_id,
        status=status,
        reasons=[f"{r.field}: {r.message}" for r in verdict.reasons],
    )


def _result(outcomes: list[Outcome]) -> BatchResult:
    counts = dict.fromkeys(Status, 0)
    for o in outcomes:
        counts[o.status] += 1
    return BatchResult(
        recorded=counts[Status.RECORDED],
        already_recorded=counts[Status.ALREADY_RECORDED],
        refused=counts[Status.REFUSED],
        conflict=counts[Status.CONFLICT],
        not_found=counts[Status.NOT_FOUND],
        outcomes=outcomes,
    )
