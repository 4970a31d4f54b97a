"""Parties (organisations and persons) and principals (who acts, with which role)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Literal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Party, Principal
from exportguard.domain.access import Action, Actor, Role, require
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import Conflict, InvalidInput, NotAuthenticated, Problem
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


def register_party(uow: UnitOfWork, data: NewParty) -> PartyView:
    uow.require(Action.MANAGE_PARTIES)
    session = uow.session
    if data.country not in known_countries(session):
        raise InvalidInput.of("country", f"'{data.country}' is not an ISO 3166 country code")
    if data.organisation_id is not None:
        get_or_404(session, Party, data.organisation_id, "organisation", "organisation_id")
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


class NewPrincipal(Input):
    username: NonEmpty
    display_name: NonEmpty
    role: Role
    organisation_id: int | None = None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_principal(session: Session, data: NewPrincipal, token: str | None = None) -> str:
    """Create a principal and return its API token (only its hash is stored).

    Administrative set-up, not a regulated act: it commits on its own.
    """
    if data.role is Role.EXPORTER and data.organisation_id is None:
        raise InvalidInput.of("organisation_id", "an exporter principal belongs to an organisation")
    if session.scalar(select(Principal).where(Principal.username == data.username)) is not None:
        raise Conflict(f"principal {data.username} exists", [Problem("username", "already taken")])
    token = token or secrets.token_urlsafe(24)
    session.add(
        Principal(
            username=data.username,
            display_name=data.display_name,
            role=data.role.value,
            organisation_id=data.organisation_id,
            token_sha256=hash_token(token),
        )
    )
    session.commit()
    return token


def actor_for_token(session: Session, token: str) -> Actor:
    principal = session.scalar(select(Principal).where(Principal.token_sha256 == hash_token(token)))
    if principal is None:
        raise NotAuthenticated("unknown or revoked token", [Problem("authorization", "unknown token")])
    return Actor(principal.username, Role(principal.role), principal.organisation_id)


def actor_for_username(session: Session, username: str) -> Actor:
    principal = session.scalar(select(Principal).where(Principal.username == username))
    if principal is None:
        raise InvalidInput.of("as", f"no principal named '{username}'")
    return Actor(principal.username, Role(principal.role), principal.organisation_id)
