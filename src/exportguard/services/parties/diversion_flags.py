"""Diversion flags: destinations and parties marked after a breach of end-use assurances was found.

Kept with the parties so that every context below the investigations (the determination, the
assessment, screening, the border's check) can read them. Each flag carries its source (the
investigation, the finding, the assurance) and the day it was raised: a question about an earlier
day does not see a flag raised later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from exportguard.db.models import Application, ApplicationParty, DiversionFlag, Party, Permit
from exportguard.domain.access import Action, Actor, may, require
from exportguard.domain.applications import PartyRole
from exportguard.domain.assurances import FlagSubject
from exportguard.services.kernel.common import View


class FlagView(View):
    subject: str
    country: str | None
    party_id: int | None
    party: str | None
    raised_on: date
    source: str
    source_ref: str

    @property
    def message(self) -> str:
        what = (
            f"{self.subject.replace('_', ' ')} {self.party}" if self.party else f"destination {self.country}"
        )
        return f"diversion flag on {what} since {self.raised_on}: {self.source}"


def raise_flag(
    session: Session,
    subject: FlagSubject,
    *,
    country: str | None = None,
    party_id: int | None = None,
    day: date,
    by: str,
    source: str,
    source_ref: str,
) -> bool:
    """Raise one flag; a flag already raised from the same source is not raised twice."""
    exists = session.scalar(
        select(DiversionFlag.id).where(
            DiversionFlag.subject == subject.value,
            DiversionFlag.country_code.is_(None)
            if country is None
            else DiversionFlag.country_code == country,
            DiversionFlag.party_id.is_(None) if party_id is None else DiversionFlag.party_id == party_id,
            DiversionFlag.source_ref == source_ref,
        )
    )
    if exists is not None:
        return False
    session.add(
        DiversionFlag(
            subject=subject.value,
            country_code=country,
            party_id=party_id,
            raised_on=day,
            raised_by=by,
            source=source,
            source_ref=source_ref,
        )
    )
    return True


def list_flags(
    session: Session, actor: Actor, *, countries: Iterable[str] = (), party_ids: Iterable[int] = ()
) -> list[FlagView]:
    """GET /diversion-flags: refused (403) to those who may not read flags, never a quiet empty list
    that would tell them a destination or party is not flagged (issue 10)."""
    require(actor, Action.READ_DIVERSION_FLAGS)
    return flags_on(session, actor, countries=countries, party_ids=party_ids)


def flags_on(
    session: Session,
    actor: Actor,
    *,
    countries: Iterable[str] = (),
    party_ids: Iterable[int | None] = (),
    on: date | None = None,
) -> list[FlagView]:
    """Flags on these destinations or parties raised by ``on`` (all when None); none for those who
    may not read them (exporters, the public), so callers show them without asking first."""
    if not may(actor.role, Action.READ_DIVERSION_FLAGS):
        return []
    wanted_countries = [c for c in countries if c]
    wanted_parties = [p for p in party_ids if p is not None]
    if not wanted_countries and not wanted_parties:
        return []
    stmt = (
        select(DiversionFlag, Party.name)
        .outerjoin(Party, Party.id == DiversionFlag.party_id)
        .where(
            or_(DiversionFlag.country_code.in_(wanted_countries), DiversionFlag.party_id.in_(wanted_parties))
        )
        .order_by(DiversionFlag.raised_on, DiversionFlag.id)
    )
    if on is not None:
        stmt = stmt.where(DiversionFlag.raised_on <= on)
    return [
        FlagView(
            subject=f.subject,
            country=f.country_code,
            party_id=f.party_id,
            party=name,
            raised_on=f.raised_on,
            source=f.source,
            source_ref=f.source_ref,
        )
        for f, name in session.execute(stmt)
    ]


def flags_on_parties(session: Session, actor: Actor, parties: Mapping[int, str]) -> dict[int, list[FlagView]]:
    """For each party (id -> its country): the flags on it and on its country, all raised so far
    (one query; none for those who may not read flags). A screening shows them beside its hits."""
    found = flags_on(session, actor, countries=set(parties.values()), party_ids=set(parties))
    return {
        party_id: [
            f for f in found if f.party_id == party_id or (f.party_id is None and f.country == country)
        ]
        for party_id, country in parties.items()
    }


def flags_for_permit(session: Session, actor: Actor, permit_id: int | None, on: date) -> list[FlagView]:
    """Flags on a permit's destination, consignee and end user, raised by ``on``."""
    if permit_id is None or not may(actor.role, Action.READ_DIVERSION_FLAGS):
        return []
    row = session.execute(
        select(Permit.destination_code, Permit.consignee_id, Permit.end_user_id).where(Permit.id == permit_id)
    ).one_or_none()
    if row is None:
        return []
    return flags_on(session, actor, countries=[row[0]], party_ids=[row[1], row[2]], on=on)


def flags_for_application(
    session: Session, actor: Actor, application_id: int, on: date | None
) -> list[FlagView]:
    """Flags on an application's destination and its consignee and end user, raised by ``on``."""
    if not may(actor.role, Action.READ_DIVERSION_FLAGS):
        return []
    destination = session.scalar(select(Application.destination_code).where(Application.id == application_id))
    parties = session.scalars(
        select(ApplicationParty.party_id).where(
            ApplicationParty.application_id == application_id,
            ApplicationParty.role.in_([PartyRole.CONSIGNEE.value, PartyRole.END_USER.value]),
        )
    )
    return flags_on(session, actor, countries=[destination or ""], party_ids=list(parties), on=on)
