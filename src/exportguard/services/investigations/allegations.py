"""Allegations: filed by the public (no account) or recorded by officers, then triaged once.

The public's submission is acknowledged with a reference that is random, not a count, so it tells
nothing about other submissions; nothing about any allegation is ever read back to the public.
"""

from __future__ import annotations

import secrets
from datetime import date

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Allegation, AllegationConcern, Investigation, Party, Permit, Product
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import InvalidInput, NotFound, Problem
from exportguard.domain.investigations import (
    AllegationCommand,
    AllegationState,
    ConcernKind,
    InvestigationState,
    SourceKind,
    next_allegation_state,
)
from exportguard.services.kernel.common import Input, NonEmpty, View, record_id
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.reference.control_list import known_countries

ATT_11_4 = "ATT Art. 11(4)"
# Crockford's alphabet: no I, L, O or U to misread when the reference is read out on the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MAX_CONCERNS = 20


class ConcernInput(Input):
    kind: ConcernKind
    value: NonEmpty = Field(
        max_length=300,
        description="Permit number, product or party (name or id), country code, or the conflict's name",
    )


class AllegationInput(Input):
    source_kind: SourceKind
    source_name: NonEmpty = Field(max_length=300, description="Who makes the claim (organisation or person)")
    claim: NonEmpty = Field(max_length=20000, description="What is claimed")
    claimed_on: date | None = Field(default=None, description="When the claimed events took place")
    concerns: list[ConcernInput] = Field(default=[], max_length=MAX_CONCERNS)
    contact: str = Field(default="", max_length=300, description="How to reach the sender (kept internal)")


class RecordedAllegationInput(AllegationInput):
    received_on: date | None = Field(default=None, description="Default: today")


class AllegationReceipt(View):
    """All the public is ever told: its own submission was received, under this reference."""

    reference: str
    received_on: date
    message: str


class ConcernView(View):
    kind: str
    value: str
    ref_id: int | None


class AllegationView(View):
    id: int
    reference: str
    state: str
    source_kind: str
    source_name: str
    claim: str
    claimed_on: date | None
    received_on: date
    from_public: bool
    recorded_by: str
    triaged_by: str | None
    triaged_on: date | None
    dismissal_reason: str | None
    investigation: str | None
    concerns: list[ConcernView]


def new_reference(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def _resolve(session: Session, n: int, c: ConcernInput, *, internal: bool) -> AllegationConcern:
    """Check what can be checked without telling the public anything about the register."""
    field = f"concerns[{n}].value"
    value, ref_id = c.value, None
    if c.kind in (ConcernKind.DESTINATION, ConcernKind.THIRD_COUNTRY):
        value = value.upper()
        if value not in known_countries(session):
            raise InvalidInput.of(field, f"'{c.value}' is not an ISO 3166 country code")
    elif internal and c.kind is ConcernKind.PERMIT:
        if session.scalar(select(Permit.id).where(Permit.number == value).limit(1)) is None:
            raise InvalidInput.of(field, f"no permit {value}")
    elif internal and c.kind in (ConcernKind.PARTY, ConcernKind.PRODUCT) and record_id(value):
        name = session.scalar(
            select(Party.name).where(Party.id == int(value))
            if c.kind is ConcernKind.PARTY
            else select(Product.name).where(Product.id == int(value))
        )
        if name is None:
            raise InvalidInput.of(field, f"no {c.kind.value} {value}")
        ref_id, value = int(value), name
    return AllegationConcern(kind=c.kind.value, value=value, ref_id=ref_id)


def _file(uow: UnitOfWork, data: AllegationInput, received_on: date, *, public: bool) -> Allegation:
    session = uow.session
    concerns = [_resolve(session, n, c, internal=not public) for n, c in enumerate(data.concerns)]
    allegation = Allegation(
        reference=new_reference("ALG"),
        state=AllegationState.RECEIVED.value,
        source_kind=data.source_kind.value,
        source_name=data.source_name,
        claim=data.claim,
        claimed_on=data.claimed_on,
        received_on=received_on,
        received_at=uow.clock.now(),
        from_public=public,
        contact=data.contact,
        recorded_by=uow.actor.principal,
    )
    session.add(allegation)
    session.flush()
    for concern in concerns:
        concern.allegation_id = allegation.id
        session.add(concern)
    uow.record(
        AuditEntry(
            command=AuditCommand.SUBMIT_ALLEGATION if public else AuditCommand.RECORD_ALLEGATION,
            subject_type="allegation",
            subject_id=allegation.id,
            subject_ref=allegation.reference,
            legal_basis=ATT_11_4,
            reason=f"allegation from {data.source_kind.value}",
            effective_date=received_on,
            before=None,
            after={
                "source_kind": data.source_kind.value,
                "source_name": data.source_name,
                "concerns": [{"kind": c.kind, "value": c.value} for c in concerns],
            },
        )
    )
    return allegation


def submit_allegation(uow: UnitOfWork, data: AllegationInput) -> AllegationReceipt:
    """A member of the public (no account) files an allegation; the receipt is all that comes back."""
    uow.require(Action.SUBMIT_ALLEGATION)
    allegation = _file(uow, data, uow.clock.today(), public=True)
    uow.commit()
    return AllegationReceipt(
        reference=allegation.reference,
        received_on=allegation.received_on,
        message="Received. Quote this reference if you write to us about it again.",
    )


def record_allegation(uow: UnitOfWork, data: RecordedAllegationInput) -> AllegationView:
    """An officer records an allegation received by letter, in the press, from customs..."""
    uow.require(Action.RECORD_ALLEGATION)
    allegation = _file(uow, data, data.received_on or uow.clock.today(), public=False)
    uow.commit()
    return allegation_view(uow.session, allegation)


class DismissInput(Input):
    reason: NonEmpty = Field(description="Why no investigation is opened; kept in the record")
    on: date | None = None


def load_allegation(session: Session, ref_or_id: str | int, *, lock: bool = False) -> Allegation:
    key = str(ref_or_id)
    stmt = select(Allegation).where(
        Allegation.id == record_id(key) if record_id(key) else Allegation.reference == key.upper()
    )
    found = session.scalar(stmt.with_for_update() if lock else stmt)
    if found is None:
        raise NotFound(f"no allegation {key}", [Problem("allegation", "not found")])
    return found


def dismiss(uow: UnitOfWork, ref_or_id: str | int, data: DismissInput) -> AllegationView:
    uow.require(Action.TRIAGE_ALLEGATION)
    allegation = load_allegation(uow.session, ref_or_id, lock=True)
    before = allegation.state
    allegation.state = next_allegation_state(AllegationState(before), AllegationCommand.DISMISS).value
    day = data.on or uow.clock.today()
    allegation.triaged_by, allegation.triaged_on, allegation.dismissal_reason = (
        uow.actor.principal,
        day,
        data.reason,
    )
    uow.record(
        AuditEntry(
            command=AuditCommand.DISMISS_ALLEGATION,
            subject_type="allegation",
            subject_id=allegation.id,
            subject_ref=allegation.reference,
            legal_basis=ATT_11_4,
            reason=data.reason,
            effective_date=day,
            before={"state": before},
            after={"state": allegation.state},
        )
    )
    uow.commit()
    return allegation_view(uow.session, allegation)


class OpenInput(Input):
    title: NonEmpty = Field(max_length=300)
    reason: NonEmpty = Field(description="Why the allegation is investigated")
    on: date | None = None
    investigators: list[NonEmpty] = Field(default=[], description="Principals assigned at once")
    join: str | None = Field(default=None, description="An open investigation to add this allegation to")


def allegation_view(session: Session, a: Allegation) -> AllegationView:
    concerns = session.scalars(
        select(AllegationConcern)
        .where(AllegationConcern.allegation_id == a.id)
        .order_by(AllegationConcern.id)
    )
    investigation = (
        session.scalar(select(Investigation.reference).where(Investigation.id == a.investigation_id))
        if a.investigation_id
        else None
    )
    return AllegationView(
        id=a.id,
        reference=a.reference,
        state=a.state,
        source_kind=a.source_kind,
        source_name=a.source_name,
        claim=a.claim,
        claimed_on=a.claimed_on,
        received_on=a.received_on,
        from_public=a.from_public,
        recorded_by=a.recorded_by,
        triaged_by=a.triaged_by,
        triaged_on=a.triaged_on,
        dismissal_reason=a.dismissal_reason,
        investigation=investigation,
        concerns=[ConcernView(kind=c.kind, value=c.value, ref_id=c.ref_id) for c in concerns],
    )


def get_allegation(session: Session, actor: Actor, ref_or_id: str) -> AllegationView:
    require(actor, Action.READ_INVESTIGATIONS)
    return allegation_view(session, load_allegation(session, ref_or_id))


def list_allegations(
    session: Session, actor: Actor, state: AllegationState | None = None
) -> list[AllegationView]:
    require(actor, Action.READ_INVESTIGATIONS)
    stmt = select(Allegation).order_by(Allegation.received_on.desc(), Allegation.id.desc())
    if state is not None:
        stmt = stmt.where(Allegation.state == state.value)
    return [allegation_view(session, a) for a in session.scalars(stmt)]


def open_states() -> list[str]:
    return [s.value for s in InvestigationState if s is not InvestigationState.CLOSED]
