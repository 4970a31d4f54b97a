"""Organisations whose people sign in: exporters (with their business number), departments, customs.

An organisation is a party of the register (an exporter's party holds its applications and permits);
this context adds its kind, business number and status. Suspending it stops every sign-in, session and
API token of its people at once (services/accounts/principals.py ``may_sign_in``).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportguard.db.models import Organisation, Party
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.accounts import (
    OrganisationKind,
    Status,
    StatusCommand,
    next_status,
    normalise_business_number,
)
from exportguard.domain.audit import AuditCommand
from exportguard.domain.errors import Conflict, InvalidInput, NotFound, Problem
from exportguard.services.accounts import events
from exportguard.services.accounts.visibility import visible_organisations
from exportguard.services.kernel.common import CountryCodeStr, Input, NonEmpty, View, get_or_404
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.reference.control_list import known_countries


class NewOrganisation(Input):
    kind: OrganisationKind
    name: NonEmpty = Field(max_length=300)
    business_number: str | None = Field(default=None, description="CRA business number (exporters)")
    country: CountryCodeStr = "CA"
    address: str = ""
    city: str = ""
    party_id: int | None = Field(default=None, description="An existing party of the register to enrol")


class OrganisationView(View):
    id: int
    kind: str
    name: str
    business_number: str | None
    country: str
    status: str
    created_at: datetime


def organisation_view(org: Organisation, party: Party) -> OrganisationView:
    return OrganisationView(
        id=org.party_id,
        kind=org.kind,
        name=party.name,
        business_number=org.business_number,
        country=party.country_code,
        status=org.status,
        created_at=org.created_at,
    )


def _party_for(uow: UnitOfWork, data: NewOrganisation) -> Party:
    session = uow.session
    if data.party_id is not None:
        party = get_or_404(session, Party, data.party_id, "party", "party_id")
        if party.kind != "organisation":
            raise InvalidInput.of("party_id", "a person is not an organisation")
        if session.get(Organisation, party.id) is not None:
            raise Conflict("the party is already an organisation", [Problem("party_id", "already enrolled")])
        return party
    if data.country not in known_countries(session):
        raise InvalidInput.of("country", f"'{data.country}' is not an ISO 3166 country code")
    clash = session.scalar(
        select(Party.id)
        .join(Organisation, Organisation.party_id == Party.id)
        .where(func.lower(Party.name) == data.name.lower())
    )
    if clash is not None:
        raise Conflict("an organisation has that name", [Problem("name", "already an organisation's name")])
    party = Party(
        kind="organisation",
        name=data.name,
        address=data.address,
        city=data.city,
        country_code=data.country,
        organisation_id=None,
        email="",
        phone="",
        identifier="",
    )
    session.add(party)
    session.flush()
    return party


def create_organisation(uow: UnitOfWork, data: NewOrganisation) -> OrganisationView:
    uow.require(Action.MANAGE_ACCOUNTS)
    number = None
    if data.kind is OrganisationKind.EXPORTER:
        if not data.business_number:
            raise InvalidInput.of("business_number", "an exporter is identified by its business number")
        number = normalise_business_number(data.business_number)
        if uow.session.scalar(select(Organisation).where(Organisation.business_number == number)):
            raise Conflict(
                "an organisation has that business number", [Problem("business_number", "already registered")]
            )
    elif data.business_number:
        raise InvalidInput.of("business_number", "only exporters have one here")
    party = _party_for(uow, data)
    if number:
        party.identifier = number
    org = Organisation(
        party_id=party.id,
        kind=data.kind.value,
        business_number=number,
        status=Status.ACTIVE.value,
        created_at=uow.clock.now(),
    )
    uow.session.add(org)
    uow.session.flush()
    view = organisation_view(org, party)
    events.record(
        uow,
        AuditCommand.CREATE_ORGANISATION,
        ("organisation", org.party_id, party.name),
        "organisation enrolled",
        after=view.model_dump(mode="json"),
    )
    uow.commit()
    return view


def change_organisation_status(
    uow: UnitOfWork, organisation_id: int, command: StatusCommand, reason: str
) -> OrganisationView:
    uow.require(Action.MANAGE_ACCOUNTS)
    org = get_or_404(uow.session, Organisation, organisation_id, "organisation", "organisation_id")
    party = uow.session.get_one(Party, org.party_id)
    before = organisation_view(org, party)
    org.status = next_status("the organisation", Status(org.status), command).value
    after = organisation_view(org, party)
    events.record(
        uow,
        events.ORGANISATION_STATUS_EVENTS[command],
        ("organisation", org.party_id, party.name),
        reason,
        before=before.model_dump(mode="json"),
        after=after.model_dump(mode="json"),
    )
    uow.commit()
    return after


def list_organisations(session: Session, actor: Actor) -> list[OrganisationView]:
    require(actor, Action.READ_ACCOUNTS)
    stmt = (
        select(Organisation, Party)
        .join(Party, Party.id == Organisation.party_id)
        .where(visible_organisations(actor))
    )
    return [organisation_view(o, p) for o, p in session.execute(stmt.order_by(Party.name))]


def organisation_kind(session: Session, organisation_id: int) -> OrganisationKind:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(
            f"no organisation {organisation_id}",
            [Problem("organisation_id", f"no organisation {organisation_id}")],
        )
    return OrganisationKind(org.kind)
