"""End-use assurances on applications and permits, their breach, and post-shipment verification.

A breach is a finding of an investigation: it marks the assurance breached and raises a diversion
flag on the destination, the consignee and the end user (services/diversion_flags.py), in the
finding's own transaction, so every later determination, assessment, screening and border check
shows it with its source.
"""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Application, ApplicationParty, EndUseAssurance, Permit
from exportguard.domain import assurances as rules
from exportguard.domain.access import Action, Actor, may, require
from exportguard.domain.applications import PartyRole
from exportguard.domain.assurances import AssuranceForm, AssuranceState, FlagSubject, Promises
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import InvalidInput, NotFound, Problem
from exportguard.domain.investigations import InvestigationCommand
from exportguard.services.investigations.commands import audit, load_investigation, step
from exportguard.services.kernel.common import CountryCodeStr, Input, NonEmpty, View, record_id
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.parties.diversion_flags import raise_flag

EPR_3 = "EPR s.3(2)(h), s.3(3)(a)"


class PromisesInput(Input):
    end_use: str = Field(default="", max_length=2000)
    end_user: str = Field(default="", max_length=300)
    where_used: str = Field(default="", max_length=300)
    no_reexport_without_consent: bool = False


class AssuranceInput(Input):
    application: str | None = Field(default=None, description="Application reference or id")
    permit: str | None = Field(default=None, description="Permit number")
    given_by: NonEmpty = Field(max_length=300, description="Who gave it (name and office)")
    country: CountryCodeStr
    form: AssuranceForm
    given_on: date
    received_by: str = Field(default="", max_length=300)
    promises: PromisesInput
    note: str = Field(default="", max_length=20000, description="The record of an oral assurance")
    provenance: str = Field(default="", max_length=2000, description="What is reported, inferred or invented")


class AssuranceView(View):
    id: int
    reference: str
    application: str | None
    permit: str | None
    given_by: str
    country: str
    form: str
    given_on: date
    received_by: str
    promises: dict[str, object]
    note: str
    provenance: str
    state: str
    breached_on: date | None
    breach_source: str | None


def assurance_view(session: Session, a: EndUseAssurance) -> AssuranceView:
    app = session.get(Application, a.application_id) if a.application_id else None
    permit = session.get(Permit, a.permit_id) if a.permit_id else None
    return AssuranceView(
        id=a.id,
        reference=a.reference,
        application=app.reference if app else None,
        permit=permit.number if permit else None,
        given_by=a.given_by,
        country=a.country_code,
        form=a.form,
        given_on=a.given_on,
        received_by=a.received_by,
        promises=a.promises,
        note=a.note,
        provenance=a.provenance,
        state=a.state,
        breached_on=a.breached_on,
        breach_source=a.breach_source,
    )


def _application(session: Session, key: str) -> Application:
    stmt = (
        select(Application)
        .where(Application.id == record_id(key) if record_id(key) else Application.reference == key)
        .order_by(Application.version.desc())
        .limit(1)
    )
    found = session.scalar(stmt)
    if found is None:
        raise InvalidInput.of("application", f"no application {key}")
    return found


def _permit(session: Session, number: str) -> Permit:
    found = session.scalar(
        select(Permit).where(Permit.number == number).order_by(Permit.version.desc()).limit(1)
    )
    if found is None:
        raise InvalidInput.of("permit", f"no permit {number}")
    return found


def record_assurance(uow: UnitOfWork, data: AssuranceInput) -> AssuranceView:
    uow.require(Action.RECORD_ASSURANCE)
    session = uow.session
    if data.application is None and data.permit is None:
        raise InvalidInput.of("application", "an assurance is attached to an application or a permit")
    promises = Promises(**data.promises.model_dump())
    rules.check_assurance(data.form, promises, data.note)
    app = _application(session, data.application) if data.application else None
    permit = _permit(session, data.permit) if data.permit else None
    a = EndUseAssurance(
        reference=f"tmp-{uuid.uuid4().hex[:20]}",
        application_id=app.id if app else None,
        permit_id=permit.id if permit else None,
        given_by=data.given_by,
        country_code=data.country,
        form=data.form.value,
        given_on=data.given_on,
        received_by=data.received_by,
        promises=data.promises.model_dump(),
        note=data.note,
        provenance=data.provenance,
        state=AssuranceState.GIVEN.value,
        recorded_by=uow.actor.principal,
        recorded_at=uow.clock.now(),
    )
    session.add(a)
    session.flush()
    a.reference = f"EUA-{data.given_on.year}-{a.id:04d}"
    view = assurance_view(session, a)
    uow.record(
        AuditEntry(
            command=AuditCommand.RECORD_ASSURANCE,
            subject_type="end_use_assurance",
            subject_id=a.id,
            subject_ref=a.reference,
            legal_basis=EPR_3,
            reason=f"{data.form.value} from {data.given_by}",
            effective_date=data.given_on,
            before=None,
            after=view.model_dump(mode="json"),
        )
    )
    uow.commit()
    return view


def load_assurance(session: Session, ref: str, *, lock: bool = False) -> EndUseAssurance:
    stmt = select(EndUseAssurance).where(EndUseAssurance.reference == ref.upper())
    found = session.scalar(stmt.with_for_update() if lock else stmt)
    if found is None:
        raise NotFound(f"no assurance {ref}", [Problem("assurance", "not found")])
    return found


class BreachInput(Input):
    assurance: NonEmpty = Field(description="The assurance's reference, e.g. EUA-2020-0001")
    rationale: NonEmpty = Field(max_length=20000)
    question: int | None = Field(default=None, description="The question whose finding shows the breach")
    on: date | None = None


def _subjects(session: Session, a: EndUseAssurance) -> tuple[str, int | None, int | None]:
    """Destination, consignee and end user the assurance was given for."""
    if a.permit_id is not None:
        permit = session.get(Permit, a.permit_id)
        assert permit is not None  # foreign key
        return permit.destination_code, permit.consignee_id, permit.end_user_id
    app = session.get(Application, a.application_id)
    assert app is not None  # CHECK attached
    roles = dict(
        session.execute(
            select(ApplicationParty.role, ApplicationParty.party_id).where(
                ApplicationParty.application_id == app.id
            )
        ).all()
    )
    return app.destination_code, roles.get(PartyRole.CONSIGNEE.value), roles.get(PartyRole.END_USER.value)


def find_breached(uow: UnitOfWork, ref: str, data: BreachInput) -> AssuranceView:
    """The investigation finds the assurance breached: it and its parties are flagged (ATT Art. 11(4))."""
    uow.require(Action.INVESTIGATE)
    session = uow.session
    inv = load_investigation(session, ref, lock=True)
    before, after = step(uow, inv, InvestigationCommand.FIND_ASSURANCE_BREACHED)
    a = load_assurance(session, data.assurance, lock=True)
    rules.check_breach(AssuranceState(a.state))
    day = data.on or uow.clock.today()
    where = f"{inv.reference}" + (f" question {data.question}" if data.question else "")
    a.state, a.breached_on = AssuranceState.BREACHED.value, day
    a.breach_source = f"{where}: {data.rationale}"
    source = f"{where}: end-use assurance {a.reference} ({a.given_by}) found breached"
    destination, consignee, end_user = _subjects(session, a)
    raised = {
        "destination": raise_flag(
            session,
            FlagSubject.DESTINATION,
            country=destination,
            day=day,
            by=uow.actor.principal,
            source=source,
            source_ref=inv.reference,
        )
    }
    for subject, party in ((FlagSubject.CONSIGNEE, consignee), (FlagSubject.END_USER, end_user)):
        if party is not None:
            raised[subject.value] = raise_flag(
                session,
                subject,
                party_id=party,
                day=day,
                by=uow.actor.principal,
                source=source,
                source_ref=inv.reference,
            )
    audit(
        uow,
        inv,
        AuditCommand.FIND_ASSURANCE_BREACHED,
        data.rationale,
        day,
        after={"assurance": a.reference, "state": after, "flags": raised},
        before={"state": before},
        basis="ATT Art. 11(4)",
    )
    uow.commit()
    return assurance_view(session, a)


def assurances_for(
    session: Session, actor: Actor, *, application_id: int | None = None, permit: Permit | None = None
) -> list[AssuranceView]:
    """Assurances given for an application, or for a permit (its own and its application's)."""
    require(actor, Action.READ_ASSURANCES)
    stmt = select(EndUseAssurance).order_by(EndUseAssurance.given_on, EndUseAssurance.id)
    if permit is not None:
        stmt = stmt.where(
            (EndUseAssurance.permit_id == permit.id)
            | (EndUseAssurance.application_id == permit.application_id)
        )
    elif application_id is not None:
        stmt = stmt.where(EndUseAssurance.application_id == application_id)
    return [assurance_view(session, a) for a in session.scalars(stmt)]


def list_assurances(
    session: Session, actor: Actor, *, application_id: int | None = None, permit: str | None = None
) -> list[AssuranceView]:
    """By application id, by permit number (its own and its application's), or all."""
    return assurances_for(
        session, actor, application_id=application_id, permit=_permit(session, permit) if permit else None
    )


def visible_assurances(
    session: Session, actor: Actor, *, application_id: int | None = None, permit_id: int | None = None
) -> list[AssuranceView]:
    """For pages: the assurances this actor may read (none for exporters and the public)."""
    if not may(actor.role, Action.READ_ASSURANCES):
        return []
    permit = session.get(Permit, permit_id) if permit_id is not None else None
    return assurances_for(session, actor, application_id=application_id, permit=permit)
