"""Parties: organisations and persons named on applications and permits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportguard.db.models import Party
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import Conflict, InvalidInput, NotFound, Problem
from exportguard.services.kernel.common import (
    CountryCodeStr,
    Input,
    NonEmpty,
    RecordId,
    View,
    get_or_404,
    width,
)
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.reference.control_list import known_countries


class NewParty(Input):
    kind: Literal["organisation", "person"] = "organisation"
    name: NonEmpty = Field(max_length=width(Party.name))
    address: str = ""
    city: str = Field(default="", max_length=width(Party.city))
    country: CountryCodeStr
    organisation_id: RecordId | None = None
    email: str = Field(default="", max_length=width(Party.email))
    phone: str = Field(default="", max_length=width(Party.phone))
    identifier: str = Field(default="", max_length=width(Party.identifier))


class PartyView(View):
    id: int
    kind: str
    name: str
    address: str
    city: str
    country: str
    organisation_id: int | None
    identifier: str


def party_view(party: Party) -> PartyView:
    return PartyView(
        id=party.id,
        kind=party.kind,
        name=party.name,
        address=party.address,
        city=party.city,
        country=party.country_code,
        organisation_id=party.organisation_id,
        identifier=party.identifier,
    )


def _refuse_a_registered_name(session: Session, name: str) -> None:
    """An exporter does not register an organisation under a name already registered: it names the
    existing party by its id (two parties of one name would pass one's records off as the other's)."""
    clash = session.scalar(
        select(Party.id).where(Party.kind == "organisation", func.lower(Party.name) == name.strip().lower())
    )
    if clash is not None:
        raise Conflict(
            "an organisation of this name is registered: name it by its id",
            [Problem("name", "already registered; use the existing party's id")],
        )


def register_party(uow: UnitOfWork, data: NewParty) -> PartyView:
    uow.require(Action.MANAGE_PARTIES)
    session = uow.session
    if data.country not in known_countries(session):
        raise InvalidInput.of("country", f"'{data.country}' is not an ISO 3166 country code")
    if data.organisation_id is not None:
        get_or_404(session, Party, data.organisation_id, "organisation", "organisation_id")
        if not uow.actor.sees(data.organisation_id):
            # An exporter registers people of its own organisation only (and learns nothing of others).
            raise NotFound(
                f"no organisation {data.organisation_id}",
                [Problem("organisation_id", f"no organisation {data.organisation_id}")],
            )
    if data.kind == "organisation" and not uow.actor.sees(None):
        _refuse_a_registered_name(session, data.name)
    party = Party(
        kind=data.kind,
        name=data.name,
        address=data.address,
        city=data.city,
        country_code=data.country,
        organisation_id=data.organisation_id,
        email=data.email,
        phone=data.phone,
        identifier=data.identifier,
    )
    session.add(party)
    session.flush()
    view = party_view(party)
    uow.record(
        AuditEntry(
            command=AuditCommand.REGISTER_PARTY,
            subject_type="party",
            subject_id=party.id,
            subject_ref=party.name[:64],
            legal_basis="EPR s.3",
            reason="party registered",
            effective_date=uow.clock.today(),
            before=None,
            after=view.model_dump(mode="json"),
        )
    )
    uow.commit()
    return view


def list_parties(session: Session, actor: Actor) -> list[PartyView]:
    # Every role that reads parties sees the whole register (names are not confidential), but the
    # public does not: PERMISSIONS[READ_PARTIES].
    require(actor, Action.READ_PARTIES)
    return [party_view(p) for p in session.scalars(select(Party).order_by(Party.id))]
