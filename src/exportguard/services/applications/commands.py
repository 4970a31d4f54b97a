"""Applications: draft, edit, submit (EPR s.3 checks), review, withdraw, and amendment by new version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportguard.db.models import (
    Application,
    ApplicationLine,
    ApplicationParty,
    ApplicationStateChange,
    ControlListItem,
    Party,
    Product,
    SupportingDocument,
)
from exportguard.domain import applications as rules
from exportguard.domain.access import Action, Actor
from exportguard.domain.applications import ApplicationCommand as Cmd
from exportguard.domain.applications import ApplicationState, DocumentKind, PartyRole
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.chronology import check_not_before
from exportguard.domain.errors import InvalidInput, NotFound, NotPermitted, Problem
from exportguard.services.applications import chronology
from exportguard.services.applications.views import ApplicationView, application_view
from exportguard.services.applications.visibility import sees_application
from exportguard.services.kernel.common import (
    Amount,
    CountryCodeStr,
    CurrencyCode,
    Input,
    NonEmpty,
    Quantity,
    RecordId,
    width,
)
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.policy import determination
from exportguard.services.reference.control_list import known_countries
from exportguard.services.screening.commands import screen_parties

EPR = "Export Permits Regulations s.3"


# Issue 11: bounded work per request; an export of more separately identifiable goods is split.
MAX_LINES = 500


class PartyInRole(Input):
    role: PartyRole
    party_id: RecordId


class LineInput(Input):
    line_no: int = Field(ge=1, le=MAX_LINES)
    product_id: RecordId
    item_code: NonEmpty = Field(max_length=width(ControlListItem.code))
    description: str
    quantity: Quantity
    unit: str = Field(default="unit", max_length=width(ApplicationLine.unit))
    # A draft may leave the value at 0 until submission, which requires it (EPR s.3(f)(iv)).
    unit_value: Amount
    currency: CurrencyCode = "CAD"
    origin_country: CountryCodeStr = "CA"
    us_content_percent: Decimal = Field(default=Decimal(0), ge=0, le=100, max_digits=5, decimal_places=2)


class DocumentInput(Input):
    kind: DocumentKind
    reference: NonEmpty = Field(max_length=width(SupportingDocument.reference))
    issued_by: str = Field(default="", max_length=width(SupportingDocument.issued_by))
    issued_on: date | None = None
    description: str = ""


class ApplicationInput(Input):
    """The content of an application (EPR s.3); a draft may be incomplete until submission."""

    destination: CountryCodeStr
    end_use: str = ""
    end_use_location: str = ""
    parties: list[PartyInRole] = Field(default=[], max_length=50)
    lines: list[LineInput] = Field(default=[], max_length=MAX_LINES)
    documents: list[DocumentInput] = Field(default=[], max_length=100)
    no_diversion_declared: bool = False
    requested_valid_from: date | None = None
    requested_valid_to: date | None = None
    application_date: date | None = None


def load_application(
    session: Session, actor: Actor, application_id: int, *, lock: bool = False
) -> Application:
    stmt = select(Application).where(Application.id == application_id)
    if lock:
        stmt = stmt.with_for_update()
    app = session.scalar(stmt)
    if app is None or not sees_application(session, actor, app):
        raise NotFound(f"no application {application_id}", [Problem("application_id", "not found")])
    return app


def _fill(session: Session, actor: Actor, app: Application, data: ApplicationInput) -> None:
    problems: list[Problem] = []
    countries = known_countries(session)
    if data.destination not in countries:
        problems.append(Problem("destination", f"'{data.destination}' is not an ISO 3166 country code"))
    for n, p in enumerate(data.parties):
        if session.get(Party, p.party_id) is None:
            problems.append(Problem(f"parties[{n}].party_id", f"no party {p.party_id}"))
    for line in data.lines:
        if session.get(Product, line.product_id) is None:
            problems.append(Problem(f"lines[{line.line_no}].product_id", f"no product {line.product_id}"))
        if session.get(ControlListItem, line.item_code) is None:
            problems.append(
                Problem(
                    f"lines[{line.line_no}].item_code",
                    f"'{line.item_code}' is not an Export Control List item",
                )
            )
        if line.origin_country not in countries:
            problems.append(
                Problem(
                    f"lines[{line.line_no}].origin_country",
                    f"'{line.origin_country}' is not an ISO 3166 country code",
                )
            )
    valid_from, valid_to = data.requested_valid_from, data.requested_valid_to
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        problems.append(
            Problem("requested_valid_to", f"{valid_to} is before requested_valid_from {valid_from}")
        )
    applicants = [p.party_id for p in data.parties if p.role is PartyRole.APPLICANT]
    if not applicants:
        problems.append(Problem("parties.applicant", "the applicant is required, even in a draft"))
    if problems:
        raise InvalidInput("the application refers to unknown records", problems)
    organisation_id = applicants[0]
    if not actor.sees(organisation_id):
        raise NotPermitted(
            "an exporter applies only for its own organisation",
            [Problem("parties.applicant", "not your organisation")],
        )
    app.organisation_id = organisation_id
    app.destination_code = data.destination
    app.end_use, app.end_use_location = data.end_use, data.end_use_location
    app.no_diversion_declared = data.no_diversion_declared
    app.requested_valid_from, app.requested_valid_to = data.requested_valid_from, data.requested_valid_to
    app.parties = [ApplicationParty(party_id=p.party_id, role=p.role.value) for p in data.parties]
    app.lines = [ApplicationLine(**line.model_dump()) for line in data.lines]
    app.documents = [
        SupportingDocument(
            kind=d.kind.value,
            reference=d.reference,
            issued_by=d.issued_by,
            issued_on=d.issued_on,
            description=d.description,
        )
        for d in data.documents
    ]


def _next_reference(session: Session, year: int) -> str:
    prefix = f"APP-{year}-"
    count = (
        session.scalar(
            select(func.count(func.distinct(Application.reference))).where(
                Application.reference.like(prefix + "%")
            )
        )
        or 0
    )
    return f"{prefix}{count + 1:05d}"


def transition(
    uow: UnitOfWork,
    app: Application,
    command: Cmd,
    *,
    effective_date: date | None,
    reason: str,
    legal_basis: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Move the application through its table and record history and audit in this unit of work."""
    before = app.state
    after = rules.next_state(ApplicationState(app.state), command)
    day = effective_date or uow.clock.today()
    # Issue 11: the history never reads backwards (an approval before its submission).
    check_not_before(chronology.last_act(uow.session, app), day)
    app.state = after.value
    uow.session.add(
        ApplicationStateChange(
            application_id=app.id,
            state=after.value,
            command=command.value,
            effective_date=day,
            recorded_at=uow.clock.now(),
            principal=uow.actor.principal,
        )
    )
    uow.record(
        AuditEntry(
            command=rules.AUDITED_AS[command],
            subject_type="application",
            subject_id=app.id,
            subject_ref=f"{app.reference}/v{app.version}",
            legal_basis=legal_basis,
            reason=reason,
            effective_date=day,
            before={"state": before},
            after={"state": after.value, **(extra or {})},
        )
    )


def draft_application(
    uow: UnitOfWork, data: ApplicationInput, reason: str = "application drafted"
) -> ApplicationView:
    uow.require(Action.DRAFT_APPLICATION)
    session = uow.session
    day = data.application_date or uow.clock.today()
    app = Application(
        reference=_next_reference(session, day.year),
        version=1,
        state=ApplicationState.DRAFT.value,
        application_date=day,
        created_at=uow.clock.now(),
    )
    _fill(session, uow.actor, app, data)
    session.add(app)
    session.flush()
    session.add(
        ApplicationStateChange(
            application_id=app.id,
            state=app.state,
            command="draft",
            effective_date=day,
            recorded_at=uow.clock.now(),
            principal=uow.actor.principal,
        )
    )
    view = application_view(session, app)
    uow.record(
        AuditEntry(
            command=AuditCommand.DRAFT_APPLICATION,
            subject_type="application",
            subject_id=app.id,
            subject_ref=f"{app.reference}/v1",
            legal_basis=EPR,
            reason=reason,
            effective_date=day,
            before=None,
            after=view.audit_form(),
        )
    )
    uow.commit()
    return view


def edit_draft(uow: UnitOfWork, application_id: int, data: ApplicationInput) -> ApplicationView:
    uow.require(Action.DRAFT_APPLICATION)
    session = uow.session
    app = load_application(session, uow.actor, application_id, lock=True)
    before = application_view(session, app).audit_form()
    rules.next_state(ApplicationState(app.state), Cmd.EDIT)
    app.parties.clear()
    app.lines.clear()
    app.documents.clear()
    session.flush()
    _fill(session, uow.actor, app, data)
    session.flush()
    view = application_view(session, app)
    uow.record(
        AuditEntry(
            command=AuditCommand.EDIT_APPLICATION,
            subject_type="application",
            subject_id=app.id,
            subject_ref=f"{app.reference}/v{app.version}",
            legal_basis=EPR,
            reason="draft edited",
            effective_date=uow.clock.today(),
            before=before,
            after=view.audit_form(),
        )
    )
    uow.commit()
    return view


def submit_application(
    uow: UnitOfWork, application_id: int, *, effective_date: date | None = None
) -> ApplicationView:
    uow.require(Action.SUBMIT_APPLICATION)
    session = uow.session
    app = load_application(session, uow.actor, application_id, lock=True)
    rules.next_state(ApplicationState(app.state), Cmd.SUBMIT)  # illegal state first: 409
    rules.check_submittable(content_of(session, app))
    # Issue 5: every party is screened at submission; hits become review tasks, not refusals.
    screen_parties(uow, sorted({ap.party_id for ap in app.parties}), "submission")
    app.submitted_on = effective_date or uow.clock.today()
    check_not_before(chronology.last_act(session, app), app.submitted_on)
    determination.refuse_prohibited(session, app, app.submitted_on)  # ATT Art. 6(1): embargo
    transition(
        uow, app, Cmd.SUBMIT, effective_date=app.submitted_on, reason="application submitted", legal_basis=EPR
    )
    uow.commit()
    return application_view(session, app)


def begin_review(
    uow: UnitOfWork, application_id: int, *, effective_date: date | None = None
) -> ApplicationView:
    uow.require(Action.REVIEW_APPLICATION)
    app = load_application(uow.session, uow.actor, application_id, lock=True)
    transition(
        uow,
        app,
        Cmd.BEGIN_REVIEW,
        effective_date=effective_date,
        reason="review begun",
        legal_basis="EIPA s.7",
    )
    uow.commit()
    return application_view(uow.session, app)


def withdraw_application(
    uow: UnitOfWork, application_id: int, *, reason: str, effective_date: date | None = None
) -> ApplicationView:
    uow.require(Action.WITHDRAW_APPLICATION)
    app = load_application(uow.session, uow.actor, application_id, lock=True)
    transition(uow, app, Cmd.WITHDRAW, effective_date=effective_date, reason=reason, legal_basis=EPR)
    uow.commit()
    return application_view(uow.session, app)


def new_version(uow: UnitOfWork, application_id: int, *, reason: str) -> ApplicationView:
    """Amend an approved application: a new draft version that copies it; the original stays."""
    uow.require(Action.DRAFT_APPLICATION)
    session = uow.session
    old = load_application(session, uow.actor, application_id, lock=True)
    rules.next_state(ApplicationState(old.state), Cmd.NEW_VERSION)
    latest = session.scalar(
        select(func.max(Application.version)).where(Application.reference == old.reference)
    )
    app = Application(
        reference=old.reference,
        version=(latest or old.version) + 1,
        supersedes_id=old.id,
        state=ApplicationState.DRAFT.value,
        organisation_id=old.organisation_id,
        destination_code=old.destination_code,
        end_use=old.end_use,
        end_use_location=old.end_use_location,
        no_diversion_declared=old.no_diversion_declared,
        requested_valid_from=old.requested_valid_from,
        requested_valid_to=old.requested_valid_to,
        application_date=uow.clock.today(),
        created_at=uow.clock.now(),
    )
    app.parties = [ApplicationParty(party_id=p.party_id, role=p.role) for p in old.parties]
    app.lines = [
        ApplicationLine(
            line_no=ln.line_no,
            product_id=ln.product_id,
            item_code=ln.item_code,
            description=ln.description,
            quantity=ln.quantity,
            unit=ln.unit,
            unit_value=ln.unit_value,
            currency=ln.currency,
            origin_country=ln.origin_country,
            us_content_percent=ln.us_content_percent,
        )
        for ln in old.lines
    ]
    app.documents = [
        SupportingDocument(
            kind=d.kind,
            reference=d.reference,
            issued_by=d.issued_by,
            issued_on=d.issued_on,
            description=d.description,
        )
        for d in old.documents
    ]
    session.add(app)
    session.flush()
    session.add(
        ApplicationStateChange(
            application_id=app.id,
            state=app.state,
            command="draft",
            effective_date=uow.clock.today(),
            recorded_at=uow.clock.now(),
            principal=uow.actor.principal,
        )
    )
    view = application_view(session, app)
    uow.record(
        AuditEntry(
            command=AuditCommand.NEW_APPLICATION_VERSION,
            subject_type="application",
            subject_id=app.id,
            subject_ref=f"{app.reference}/v{app.version}",
            legal_basis=EPR,
            reason=reason,
            effective_date=uow.clock.today(),
            before={"supersedes": f"{old.reference}/v{old.version}"},
            after=view.audit_form(),
        )
    )
    uow.commit()
    return view


def content_of(session: Session, app: Application) -> rules.ApplicationContent:
    """The application as the domain's submission rules see it."""
    parties = []
    for ap in app.parties:
        party = session.get(Party, ap.party_id)
        assert party is not None  # foreign key
        parties.append(
            rules.PartyContent(PartyRole(ap.role), party.id, party.name, party.country_code, party.address)
        )
    lines = []
    for line in app.lines:
        product = session.get(Product, line.product_id)
        assert product is not None  # foreign key
        lines.append(
            rules.LineContent(
                line.line_no,
                line.item_code,
                line.description,
                line.quantity,
                line.unit,
                line.unit_value,
                line.currency,
                line.origin_country,
                line.us_content_percent,
                frozenset(c.item_code for c in product.classifications),
                product.name,
            )
        )
    return rules.ApplicationContent(
        parties=tuple(parties),
        destination=app.destination_code,
        end_use=app.end_use,
        end_use_location=app.end_use_location,
        lines=tuple(lines),
        documents=frozenset(DocumentKind(d.kind) for d in app.documents),
        no_diversion_declared=app.no_diversion_declared,
        requested_valid_from=app.requested_valid_from,
        requested_valid_to=app.requested_valid_to,
        known_countries=known_countries(session),
    )
