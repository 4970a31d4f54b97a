"""Questions about permits, answerable "as of" any date and "as recorded at" any moment."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from exportguard.db.models import Party, Permit, PermitLine, PermitStateChange
from exportguard.domain import permits as rules
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.errors import InvalidInput, NotFound, Problem
from exportguard.domain.permits import PermitCommand, PermitState
from exportguard.services.kernel.common import CountryCodeStr, Input, View, record_id
from exportguard.services.permits.views import PermitView, permit_view
from exportguard.services.permits.visibility import visible_permits
from exportguard.services.reference.control_list import known_countries

Status = Literal["active", "suspended", "cancelled", "expired", "superseded", "not_yet_valid"]


class PermitFilter(Input):
    destination: CountryCodeStr | None = None
    status: Status | None = None
    as_of: date | None = Field(default=None, description="Status on this date (default: today)")
    known_at: datetime | None = Field(default=None, description="As the record stood at this moment")
    holder_id: int | None = None
    consignee_id: int | None = None
    end_user_id: int | None = None
    item_code: str | None = None
    item_group: int | None = Field(default=None, ge=1, le=9)
    number: str | None = None
    application_id: int | None = None
    include_superseded: bool = False
    limit: int = Field(default=1000, ge=1, le=100_000)
    offset: int = Field(default=0, ge=0)


class PermitSummary(View):
    id: int
    number: str
    version: int
    holder: str
    consignee: str
    destination: str
    status: str
    issued_on: date
    valid_from: date
    valid_to: date
    item_codes: list[str]


def list_permits(session: Session, actor: Actor, f: PermitFilter, today: date) -> list[PermitSummary]:
    require(actor, Action.READ_PERMITS)
    if f.destination is not None and f.destination not in known_countries(session):
        raise InvalidInput.of("destination", f"'{f.destination}' is not an ISO 3166 country code")
    day = f.as_of or today
    stmt = select(Permit).order_by(Permit.number, Permit.version)
    stmt = stmt.where(visible_permits(actor))
    for column, value in (
        (Permit.destination_code, f.destination),
        (Permit.holder_id, f.holder_id),
        (Permit.consignee_id, f.consignee_id),
        (Permit.end_user_id, f.end_user_id),
        (Permit.number, f.number),
        (Permit.application_id, f.application_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if f.item_code is not None:
        stmt = stmt.where(
            exists().where(PermitLine.permit_id == Permit.id, PermitLine.item_code == f.item_code)
        )
    if f.item_group is not None:
        stmt = stmt.where(
            exists().where(PermitLine.permit_id == Permit.id, PermitLine.item_code.like(f"{f.item_group}-%"))
        )
    permits = session.scalars(stmt).all()
    ids = [p.id for p in permits]
    histories = _histories(session, ids, f.known_at)
    items: dict[int, set[str]] = {}
    for pid, code in session.execute(
        select(PermitLine.permit_id, PermitLine.item_code).where(PermitLine.permit_id.in_(ids))
    ):
        items.setdefault(pid, set()).add(code)
    names = dict(
        session.execute(
            select(Party.id, Party.name).where(
                Party.id.in_({p.holder_id for p in permits} | {p.consignee_id for p in permits})
            )
        ).all()
    )
    out = []
    for p in permits:
        status = rules.status_on(histories.get(p.id, []), day, valid_from=p.valid_from, valid_to=p.valid_to)
        if status is None or (
            status == PermitState.SUPERSEDED.value
            and not f.include_superseded
            and f.status != PermitState.SUPERSEDED.value
        ):
            continue
        if f.status is not None and status != f.status:
            continue
        out.append(
            PermitSummary(
                id=p.id,
                number=p.number,
                version=p.version,
                holder=names[p.holder_id],
                consignee=names[p.consignee_id],
                destination=p.destination_code,
                status=status,
                issued_on=p.issued_on,
                valid_from=p.valid_from,
                valid_to=p.valid_to,
                item_codes=sorted(items.get(p.id, set())),
            )
        )
    return out[f.offset : f.offset + f.limit]


def _histories(
    session: Session, ids: list[int], known_at: datetime | None
) -> dict[int, list[rules.StateChange]]:
    stmt = (
        select(PermitStateChange)
        .where(PermitStateChange.permit_id.in_(ids))
        .order_by(PermitStateChange.permit_id, PermitStateChange.effective_date, PermitStateChange.id)
    )
    if known_at is not None:
        stmt = stmt.where(PermitStateChange.recorded_at <= known_at)
    out: dict[int, list[rules.StateChange]] = {}
    for c in session.scalars(stmt):
        out.setdefault(c.permit_id, []).append(
            rules.StateChange(PermitState(c.state), PermitCommand(c.command), c.effective_date)
        )
    return out


def get_permit(
    session: Session, actor: Actor, key: int | str, *, as_of: date | None = None, today: date | None = None
) -> PermitView:
    """A permit by id, or by number (its latest version)."""
    require(actor, Action.READ_PERMITS)
    found = record_id(str(key))
    if found is not None:
        permit = session.get(Permit, found)
    else:
        permit = session.scalars(
            select(Permit).where(Permit.number == key).order_by(Permit.version.desc())
        ).first()
    if permit is None or not actor.sees(permit.holder_id):
        raise NotFound(f"no permit {key}", [Problem("permit", f"no permit {key}")])
    return permit_view(session, permit, as_of=as_of, today=today)
