"""Shipments: exports recorded against a permit (idempotent by declaration) and their reversals.

EPR s.5-6 and EIPA s.13: an export is recorded only if the permit authorises it on the day, and it
draws down the quantity and value of each permit line. A return or correction is a new entry that
reverses all or part of an earlier one; nothing recorded is ever edited. Every entry is audited.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import cast

from pydantic import Field
from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exportguard.db.models import Permit, Shipment, ShipmentLine
from exportguard.domain import shipments as rules
from exportguard.domain.access import Action, Actor
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.authorisation import Proposal, ProposedLine, Reason, ReasonCode
from exportguard.domain.chronology import check_not_far_ahead
from exportguard.domain.errors import Conflict, InvalidInput, NotFound, Problem
from exportguard.domain.shipments import Declaration, DeclaredLine
from exportguard.services.border.circumstances import circumstances_of, decide
from exportguard.services.border.drawdowns import draw, give_back
from exportguard.services.border.permit_facts import drawn_on, facts_for_drawdown, mark_permits_changed
from exportguard.services.border.shipment_views import (
    ShipmentLineView,
    ShipmentView,
    declaration_of,
    list_shipments,
    shipment_view,
    view_from_facts,
)
from exportguard.services.border.visibility import visible_shipments
from exportguard.services.kernel.common import (
    DB_INT_MAX,
    Amount,
    CountryCodeStr,
    Input,
    NonEmpty,
    Quantity,
    RecordId,
)
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.permits.commands import load_permit

__all__ = [
    "ReversalInput",
    "ShipmentInput",
    "ShipmentLineInput",
    "ShipmentLineView",
    "ShipmentView",
    "list_shipments",
    "record_shipment",
    "reverse_shipment",
]

LEGAL_BASIS = "EPR s.5-6; EIPA s.13"
CHANGED_MEANWHILE = (
    Reason(
        ReasonCode.QUANTITY_ABOVE_REMAINING, "lines", "the balance changed while recording; send it again"
    ),
)
SHIPMENTS = cast(Table, Shipment.__table__)
SHIPMENT_LINES = cast(Table, ShipmentLine.__table__)
_SHIPMENT_COLUMNS = tuple(c.name for c in SHIPMENTS.columns if c.name != "id")
_INSERT_SHIPMENT = insert(SHIPMENTS).returning(SHIPMENTS.c.id)
_INSERT_LINES = insert(SHIPMENT_LINES)
_LINE_COLUMNS = ("permit_line_id", "quantity", "value", "currency")
DeclarationId = Field(max_length=64, description="Customs declaration: the idempotency key")


class ShipmentLineInput(Input):
    permit_line_no: int = Field(ge=1, le=DB_INT_MAX)
    quantity: Quantity
    value: Amount | None = Field(default=None, description="Declared value; default quantity x unit value")


class ShipmentInput(Input):
    declaration_id: NonEmpty = DeclarationId
    permit_id: RecordId
    shipped_on: date
    port: str = Field(default="", max_length=120)
    destination: CountryCodeStr | None = Field(default=None, description="Checked against the permit")
    consignee: str | None = Field(default=None, description="Consignee name or id, checked")
    lines: list[ShipmentLineInput] = Field(min_length=1)


class ReversalLineInput(Input):
    permit_line_no: int = Field(ge=1, le=DB_INT_MAX)
    quantity: Quantity


class ReversalInput(Input):
    declaration_id: NonEmpty = DeclarationId
    reverses: NonEmpty = Field(max_length=64, description="The declaration id of the entry reversed")
    exporter_id: RecordId | None = Field(
        default=None,
        description="The exporter whose declaration is reversed (declaration ids are each exporter's "
        "own); needed only when several exporters used the same id",
    )
    shipped_on: date = Field(description="When the goods came back or the correction takes effect")
    reason: NonEmpty
    lines: list[ReversalLineInput] | None = Field(default=None, description="Default: all still shipped")


def _existing(session: Session, exporter_id: int, declaration_id: str) -> Shipment | None:
    """The entry under ``declaration_id`` in ``exporter_id``'s namespace: another organisation's
    entry under the same id is neither found nor revealed (declaration ids are each exporter's own)."""
    return session.scalar(
        select(Shipment).where(Shipment.exporter_id == exporter_id, Shipment.declaration_id == declaration_id)
    )


def _already(session: Session, existing: Shipment, again: Declaration) -> ShipmentView:
    rules.check_resubmission(existing.declaration_id, declaration_of(session, existing), again)
    return shipment_view(session, existing, already_recorded=True)


def audit_entry(
    uow: UnitOfWork,
    command: AuditCommand,
    shipment: Shipment | ShipmentView,
    view: ShipmentView,
    reason: str,
    **also: object,
) -> None:
    uow.record(
        AuditEntry(
            command=command,
            subject_type="shipment",
            subject_id=shipment.id,
            subject_ref=shipment.declaration_id[:64],
            legal_basis=LEGAL_BASIS,
            reason=reason,
            effective_date=shipment.shipped_on,
            before=None,
            after={**view.audit_form(), **also},
        )
    )


def _lost_to_twin(session: Session, shipment: Shipment, again: Declaration, error: Exception) -> ShipmentView:
    """The INSERT failed: a concurrent twin of the same declaration won, or ``error`` stands."""
    session.rollback()
    existing = _existing(session, shipment.exporter_id, shipment.declaration_id)
    if existing is None:
        raise error
    return _already(session, existing, again)


def _insert(uow: UnitOfWork, shipment: Shipment, again: Declaration) -> ShipmentView | None:
    """Insert the entry; a concurrent twin of the same declaration wins and ours is "already recorded"."""
    session = uow.session
    session.add(shipment)
    try:
        session.flush()
    except IntegrityError as error:
        return _lost_to_twin(session, shipment, again, error)
    return None


def record_shipment(uow: UnitOfWork, data: ShipmentInput) -> ShipmentView:
    """Record an export and draw it down; the same declaration again changes nothing (STYLE 13)."""
    uow.require(Action.RECORD_SHIPMENT)
    session, actor = uow.session, uow.actor
    # One query for the permit's facts, its row held FOR SHARE (permit_facts.facts_for_drawdown).
    facts = facts_for_drawdown(session, data.permit_id)
    if facts is None or not actor.sees(facts.holder_id):
        raise NotFound(f"no permit {data.permit_id}", [Problem("permit_id", "not found")])
    proposal = Proposal(
        data.shipped_on,
        tuple(ProposedLine(ln.quantity, line_no=ln.permit_line_no, value=ln.value) for ln in data.lines),
        destination=data.destination,
        consignee=data.consignee,
    )
    declared = Declaration(
        facts.id,
        data.shipped_on,
        data.port,
        tuple(
            DeclaredLine(ln.permit_line_no, ln.quantity, _value_of(facts.line(ln.permit_line_no), ln))
            for ln in data.lines
        ),
    )
    # Validity, parties and goods are judged here, against the whole licensed amounts; what
    # remains is settled by the conditional UPDATE of the balance (drawdowns.py), so the common path
    # reads no balance and a resubmission is found by the unique declaration id.
    around = circumstances_of(session, actor, [facts])
    verdict = decide(facts, proposal, {}, around).verdict
    if not verdict.authorised:
        existing = _existing(session, facts.holder_id, data.declaration_id)
        if existing is not None:
            return _already(session, existing, declared)
        raise rules.ExportNotAuthorised.because(facts.ref, verdict.reasons)
    # Authorised on that day, but not a day an export can be declared for yet (issue 11).
    check_not_far_ahead(data.shipped_on, uow.clock.today())
    shipment = Shipment(
        exporter_id=facts.holder_id,
        declaration_id=data.declaration_id,
        permit_id=facts.id,
        shipped_on=data.shipped_on,
        port=data.port,
        reverses_id=None,
        reason="",
        recorded_at=uow.clock.now(),
        recorded_by=actor.principal,
        lines=[
            ShipmentLine(permit_line_id=d.line_id, quantity=d.quantity, value=d.value, currency=d.currency)
            for d in sorted(verdict.drawdowns, key=lambda d: d.line_no)
        ],
    )
    # Drawn first, then inserted: like a customs feed (shipment_batches), a drawdown takes the line's
    # balance before the declaration id, so two channels sending one declaration never deadlock; the
    # second finds the first's entry when the line lets it through (the INSERT fails) or when not.
    if draw(session, verdict.drawdowns, facts.lines):
        existing = _existing(session, facts.holder_id, data.declaration_id)
        if existing is not None:
            return _already(session, existing, declared)
        # What remains does not cover it (perhaps another drawdown just took it): say what is left.
        again = decide(facts, proposal, drawn_on(session, facts), around).verdict
        raise rules.ExportNotAuthorised.because(facts.ref, again.reasons or CHANGED_MEANWHILE)
    twin = _insert_core(uow, shipment, declared)
    if twin is not None:
        return twin
    view = view_from_facts(shipment, facts)
    audit_entry(uow, AuditCommand.RECORD_SHIPMENT, shipment, view, f"export against permit {facts.ref}")
    uow.commit()
    return view.model_copy(update={"diversion_flags": list(around.flags_on(facts, data.shipped_on))})


def _insert_core(uow: UnitOfWork, shipment: Shipment, again: Declaration) -> ShipmentView | None:
    """``_insert`` by Core statements on the tables (the export's hot path): the entry stays transient.

    Its id is set from the INSERT's RETURNING; the read model is told, as an ORM flush would tell it.
    """
    session = uow.session
    try:
        shipment.id = session.execute(
            _INSERT_SHIPMENT,
            {c: getattr(shipment, c) for c in _SHIPMENT_COLUMNS},
        ).scalar_one()
    except IntegrityError as error:
        return _lost_to_twin(session, shipment, again, error)
    session.execute(
        _INSERT_LINES,
        [{"shipment_id": shipment.id, **{c: getattr(sl, c) for c in _LINE_COLUMNS}} for sl in shipment.lines],
    )
    mark_permits_changed(session)
    return None


def _value_of(line: object, ln: ShipmentLineInput) -> Decimal:
    if ln.value is not None:
        return ln.value
    unit_value = getattr(line, "unit_value", None)
    return Decimal("0.00") if unit_value is None else unit_value * ln.quantity


def _still_shipped(session: Session, original: Shipment) -> dict[int, tuple[int, Decimal]]:
    """Per permit line id: the quantity and value of the original not yet reversed."""
    left = {sl.permit_line_id: (sl.quantity, Decimal(sl.value)) for sl in original.lines}
    for line_id, qty, value in session.execute(
        select(ShipmentLine.permit_line_id, ShipmentLine.quantity, ShipmentLine.value)
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .where(Shipment.reverses_id == original.id)
    ):
        q0, v0 = left[line_id]
        left[line_id] = (q0 + qty, v0 + value)
    return left


def _already_reversed(
    session: Session, existing: Shipment, original: Shipment, data: ReversalInput
) -> ShipmentView:
    """The same reversal again is harmless; the declaration id reused otherwise is a conflict."""
    line_no = {pl.id: pl.line_no for pl in session.get_one(Permit, original.permit_id).lines}
    recorded = {line_no[sl.permit_line_id]: -sl.quantity for sl in existing.lines}
    problem = None
    if existing.reverses_id != original.id:
        problem = Problem("reverses", "the declaration reverses another entry")
    elif existing.shipped_on != data.shipped_on:
        problem = Problem("shipped_on", f"differs from the recorded {existing.shipped_on}")
    elif data.lines is not None and recorded != {ln.permit_line_no: ln.quantity for ln in data.lines}:
        problem = Problem("lines", f"recorded as {recorded}")
    if problem is not None:
        raise Conflict(
            f"declaration {existing.declaration_id} is already recorded with a different {problem.field}",
            [Problem("declaration_id", "already recorded for a different entry"), problem],
        )
    return shipment_view(session, existing, already_recorded=True)


def original_entry(session: Session, actor: Actor, data: ReversalInput) -> Shipment:
    """The entry reversed, in the namespace of its exporter; locking it queues two reversals of it,
    so together they never give back too much."""
    stmt = select(Shipment).where(Shipment.declaration_id == data.reverses, visible_shipments(actor))
    if data.exporter_id is not None:
        stmt = stmt.where(Shipment.exporter_id == data.exporter_id)
    found = session.scalars(stmt.order_by(Shipment.id).with_for_update()).all()
    if not found:
        raise NotFound(
            f"no shipment {data.reverses}", [Problem("reverses", f"no declaration {data.reverses}")]
        )
    if len(found) > 1:
        raise InvalidInput.of("exporter_id", f"several exporters declared {data.reverses}: name the exporter")
    return found[0]


def reverse_shipment(uow: UnitOfWork, data: ReversalInput) -> ShipmentView:
    """A return or correction: a new entry giving back all or part of an earlier one (never an edit).

    Customs or an officer only: an exporter asks them (services/border/reversal_requests.py)."""
    uow.require(Action.REVERSE_SHIPMENT)
    original = original_entry(uow.session, uow.actor, data)
    view, entry = record_reversal(uow, original, data)
    if entry is not None:
        audit_entry(
            uow,
            AuditCommand.REVERSE_SHIPMENT,
            entry,
            view,
            f"reverses {original.declaration_id}: {data.reason}",
        )
        uow.commit()
    return view


def check_reversible(original: Shipment, data: ReversalInput) -> None:
    if original.reverses_id is not None:
        raise InvalidInput.of("reverses", "a reversing entry cannot itself be reversed")
    if data.shipped_on < original.shipped_on:
        raise InvalidInput.of("shipped_on", f"is before the original export ({original.shipped_on})")


def record_reversal(
    uow: UnitOfWork, original: Shipment, data: ReversalInput
) -> tuple[ShipmentView, Shipment | None]:
    """Write the reversing entry and give back its balance, neither audited nor committed (the use
    case does both); the entry is None when this reversal was already recorded."""
    session, actor = uow.session, uow.actor
    permit = load_permit(session, actor, original.permit_id)
    check_reversible(original, data)
    existing = _existing(session, original.exporter_id, data.declaration_id)
    if existing is not None:
        return _already_reversed(session, existing, original, data), None
    line_no = {pl.id: pl.line_no for pl in permit.lines}
    line_id = {no: i for i, no in line_no.items()}
    still = {line_no[i]: v for i, v in _still_shipped(session, original).items()}
    wanted = (
        {ln.permit_line_no: ln.quantity for ln in data.lines}
        if data.lines is not None
        else {no: q for no, (q, _) in still.items() if q > 0}
    )
    rules.check_reversal(wanted, {no: q for no, (q, _) in still.items()})
    lines = []
    for no, qty in sorted(wanted.items()):
        left_qty, left_value = still[no]
        # A full return gives back exactly the value left; a part return its share, to the cent.
        value = left_value if qty == left_qty else (left_value * qty / left_qty).quantize(Decimal("0.01"))
        currency = next(pl.currency for pl in permit.lines if pl.id == line_id[no])
        lines.append(ShipmentLine(permit_line_id=line_id[no], quantity=-qty, value=-value, currency=currency))
    entry = Shipment(
        exporter_id=original.exporter_id,
        declaration_id=data.declaration_id,
        permit_id=permit.id,
        shipped_on=data.shipped_on,
        port=original.port,
        reverses_id=original.id,
        reason=data.reason,
        recorded_at=uow.clock.now(),
        recorded_by=actor.principal,
        lines=lines,
    )
    declared = Declaration(
        permit.id,
        data.shipped_on,
        original.port,
        tuple(DeclaredLine(line_no[ln.permit_line_id], ln.quantity, ln.value) for ln in lines),
    )
    twin = _insert(uow, entry, declared)
    if twin is not None:
        return twin, None
    for ln in lines:
        give_back(session, ln.permit_line_id, -ln.quantity, -ln.value)
    return shipment_view(session, entry), entry
