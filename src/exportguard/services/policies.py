"""Destination measures as recorded policy: the Area Control List, moratoria, presumptive denials.

Measures are set by statute (the Area Control List, EIPA s.4) or by ministerial statements and
notices to exporters (not statutory): each is recorded with its legal basis and source, and is in
force from ``effective_from`` up to, but not including, ``effective_to`` (the day a following
measure replaces it, e.g. the moratorium on Turkey ends the day Notice 992 starts).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import AliasChoices, Field
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from exportguard.db.models import DestinationMeasure
from exportguard.domain import reference
from exportguard.domain.access import Action
from exportguard.domain.audit import AuditEntry
from exportguard.domain.errors import Conflict, InvalidInput, Problem
from exportguard.services.common import CountryCodeStr, Input, NonEmpty, View
from exportguard.services.reference import known_countries
from exportguard.services.unit_of_work import UnitOfWork

MeasureKind = Literal["area_control", "arms_embargo", "no_new_permits", "presumptive_denial", "case_by_case"]


class MeasureInput(Input):
    key: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$", description="Stable name, e.g. TR-NTE-992")
    destination: CountryCodeStr
    kind: MeasureKind
    title: NonEmpty
    legal_basis: NonEmpty
    source: str = ""
    effective_from: date
    effective_to: date | None = Field(default=None, description="First day no longer in force")
    item_groups: list[int] = []
    item_codes: list[str] = []
    exception_grounds: list[str] = []
    exception_authority: str | None = Field(default=None, max_length=16)
    notes: str = ""
    reason: NonEmpty = "destination measure recorded"


class MeasureView(View):
    id: int
    key: str
    version: int
    destination: str = Field(validation_alias=AliasChoices("destination_code", "destination"))
    kind: str
    title: str
    legal_basis: str
    source: str
    effective_from: date
    effective_to: date | None
    item_groups: list[int]
    item_codes: list[str]
    exception_grounds: list[str]
    exception_authority: str | None
    notes: str


def measure_view(m: DestinationMeasure) -> MeasureView:
    return MeasureView.model_validate(m)


def _problems(session: Session, data: MeasureInput) -> list[Problem]:
    problems = []
    if data.destination not in known_countries(session):
        problems.append(Problem("destination", f"'{data.destination}' is not an ISO 3166 country code"))
    if data.effective_to is not None and data.effective_to <= data.effective_from:
        problems.append(Problem("effective_to", f"{data.effective_to} is not after {data.effective_from}"))
    problems.extend(
        Problem(f"item_groups[{n}]", f"{g} is not an Export Control List group")
        for n, g in enumerate(data.item_groups)
        if g not in {grp.number for grp in reference.GROUPS}
    )
    problems.extend(
        Problem(f"item_codes[{n}]", f"'{c}' is not an Export Control List item")
        for n, c in enumerate(data.item_codes)
        if c not in reference.ITEMS_BY_CODE
    )
    return problems


def record_measure(uow: UnitOfWork, data: MeasureInput) -> MeasureView:
    """Record a destination measure, with its legal basis and source, in the audit log."""
    uow.require(Action.MANAGE_POLICIES)
    session = uow.session
    problems = _problems(session, data)
    if problems:
        raise InvalidInput("the measure is invalid", problems)
    if session.scalar(select(DestinationMeasure.id).where(DestinationMeasure.key == data.key)) is not None:
        raise Conflict(f"measure {data.key} is already recorded", [Problem("key", "already recorded")])
    measure = DestinationMeasure(
        key=data.key,
        version=1,
        destination_code=data.destination,
        kind=data.kind,
        title=data.title,
        legal_basis=data.legal_basis,
        source=data.source,
        effective_from=data.effective_from,
        effective_to=data.effective_to,
        item_groups=data.item_groups,
        item_codes=data.item_codes,
        exception_grounds=data.exception_grounds,
        exception_authority=data.exception_authority,
        notes=data.notes,
        recorded_at=uow.clock.now(),
    )
    session.add(measure)
    session.flush()
    view = measure_view(measure)
    uow.record(
        AuditEntry(
            "record_measure",
            "measure",
            measure.id,
            f"{measure.key}/v1",
            data.legal_basis,
            data.reason,
            data.effective_from,
            None,
            view.model_dump(mode="json", exclude={"id"}),
        )
    )
    uow.commit()
    return view


def list_measures(
    session: Session, destination: str | None = None, as_of: date | None = None
) -> list[MeasureView]:
    """Measures recorded (for a destination), or those in force on ``as_of``; public information."""
    stmt = select(DestinationMeasure).order_by(
        DestinationMeasure.destination_code, DestinationMeasure.effective_from, DestinationMeasure.id
    )
    if destination is not None:
        stmt = stmt.where(DestinationMeasure.destination_code == destination.strip().upper())
    if as_of is not None:
        stmt = stmt.where(
            DestinationMeasure.effective_from <= as_of,
            or_(DestinationMeasure.effective_to.is_(None), DestinationMeasure.effective_to > as_of),
        )
    return [measure_view(m) for m in session.scalars(stmt)]
