"""Destination measures as recorded policy: the Area Control List, moratoria, presumptive denials.

Measures are set by statute (the Area Control List, EIPA s.4) or by ministerial statements and
notices to exporters (not statutory): each is recorded with its legal basis and source, and is in
force from ``effective_from`` up to, but not including, ``effective_to`` (the day a following
measure replaces it, e.g. the moratorium on Turkey ends the day Notice 992 starts).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import AliasChoices, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportguard.db.models import DestinationMeasure
from exportguard.domain import reference
from exportguard.domain.access import Action, Role
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import Conflict, InvalidInput, NotFound, Problem
from exportguard.domain.policy import Measure, MeasureKind, measures_in_force, validate_measure
from exportguard.services.kernel.common import CountryCodeStr, Input, NonEmpty, View, width
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.reference.control_list import known_countries


class MeasureInput(Input):
    key: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$", description="Stable name, e.g. TR-NTE-992")
    destination: CountryCodeStr
    kind: MeasureKind
    title: NonEmpty = Field(max_length=width(DestinationMeasure.title))
    legal_basis: NonEmpty
    source: str = ""
    effective_from: date
    effective_to: date | None = Field(default=None, description="First day no longer in force")
    item_groups: list[int] = []
    item_codes: list[str] = []
    exception_grounds: list[str] = []
    exception_authority: str | None = Field(default=None, max_length=16)
    notes: str = ""
    lifts: str | None = Field(default=None, max_length=64, description="Key of the measure a lifting ends")
    holds_existing_permits: bool = Field(
        default=False, description="Permits issued before it may not be used while it is in force"
    )
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
    lifts: str | None = None
    holds_existing_permits: bool = False
    recorded_at: datetime | None = None


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
    problems.extend(p for p in validate_measure(to_domain_input(data)) if p.field != "effective_to")
    return problems


def to_domain_input(data: MeasureInput | MeasureView, version: int = 1) -> Measure:
    return Measure(
        key=data.key,
        version=version,
        destination=data.destination,
        kind=MeasureKind(data.kind),
        title=data.title,
        legal_basis=data.legal_basis,
        effective_from=data.effective_from,
        effective_to=data.effective_to,
        item_groups=tuple(data.item_groups),
        item_codes=tuple(data.item_codes),
        exception_grounds=tuple(data.exception_grounds),
        exception_authority=Role(data.exception_authority) if data.exception_authority in _ROLES else None,
        lifts=data.lifts,
        source=data.source,
        holds_existing_permits=data.holds_existing_permits,
    )


_ROLES = {r.value for r in Role}


def to_domain(m: DestinationMeasure) -> Measure:
    return to_domain_input(measure_view(m), m.version)


def record_measure(uow: UnitOfWork, data: MeasureInput) -> MeasureView:
    """Record a new destination measure, with its legal basis and source, in the audit log."""
    uow.require(Action.MANAGE_POLICIES)
    if latest_version(uow.session, data.key) is not None:
        raise Conflict(f"measure {data.key} is already recorded", [Problem("key", "already recorded")])
    view = write_measure(uow, data, version=1, before=None)
    uow.commit()
    return view


def revise_measure(uow: UnitOfWork, data: MeasureInput) -> MeasureView:
    """A changed measure becomes a new version; the earlier versions are kept (effective-dated record)."""
    uow.require(Action.MANAGE_POLICIES)
    current = latest_version(uow.session, data.key)
    if current is None:
        raise NotFound(f"no measure {data.key}", [Problem("key", "not recorded")])
    if same_content(current, data):
        return measure_view(current)
    view = write_measure(uow, data, version=current.version + 1, before=measure_view(current))
    uow.commit()
    return view


def same_content(row: DestinationMeasure, data: MeasureInput) -> bool:
    """Does the recorded version already say what ``data`` says (so applying it changes nothing)?"""
    recorded = measure_view(row).model_dump(include=CONTENT)
    return recorded == data.model_dump(include=CONTENT)


CONTENT = {
    "destination", "kind", "title", "legal_basis", "source", "effective_from", "effective_to",
    "item_groups", "item_codes", "exception_grounds", "exception_authority", "notes", "lifts",
    "holds_existing_permits",
}  # fmt: skip


def latest_version(session: Session, key: str) -> DestinationMeasure | None:
    return session.scalars(
        select(DestinationMeasure)
        .where(DestinationMeasure.key == key)
        .order_by(DestinationMeasure.version.desc())
    ).first()


def write_measure(
    uow: UnitOfWork, data: MeasureInput, *, version: int, before: MeasureView | None
) -> MeasureView:
    """Validate and add one version of a measure with its audit event (the caller commits)."""
    session = uow.session
    problems = _problems(session, data)
    if problems:
        raise InvalidInput("the measure is invalid", problems)
    measure = DestinationMeasure(
        key=data.key,
        version=version,
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
        lifts=data.lifts,
        holds_existing_permits=data.holds_existing_permits,
        recorded_at=uow.clock.now(),
    )
    session.add(measure)
    session.flush()
    view = measure_view(measure)
    uow.record(
        AuditEntry(
            command=AuditCommand.RECORD_MEASURE if before is None else AuditCommand.REVISE_MEASURE,
            subject_type="measure",
            subject_id=measure.id,
            subject_ref=f"{measure.key}/v{version}",
            legal_basis=data.legal_basis,
            reason=data.reason,
            effective_date=data.effective_from,
            before=None if before is None else before.model_dump(mode="json", exclude={"id", "recorded_at"}),
            after=view.model_dump(mode="json", exclude={"id", "recorded_at"}),
        )
    )
    return view


def list_measures(
    session: Session, destination: str | None = None, as_of: date | None = None
) -> list[MeasureView]:
    """The current version of each measure (for a destination), or those in force on ``as_of``
    (domain.policy.measures_in_force: liftings honoured, as the determination does); public."""
    if as_of is not None:
        return [measure_view(m) for m in in_force_on(session, as_of, destination)]
    newest = (
        select(DestinationMeasure.key, func.max(DestinationMeasure.version).label("version"))
        .group_by(DestinationMeasure.key)
        .subquery()
    )
    stmt = (
        select(DestinationMeasure)
        .join(
            newest,
            (newest.c.key == DestinationMeasure.key) & (newest.c.version == DestinationMeasure.version),
        )
        .order_by(
            DestinationMeasure.destination_code, DestinationMeasure.effective_from, DestinationMeasure.id
        )
    )
    if destination is not None:
        stmt = stmt.where(DestinationMeasure.destination_code == destination.strip().upper())
    return [measure_view(m) for m in session.scalars(stmt)]


def in_force_on(session: Session, day: date, destination: str | None = None) -> list[DestinationMeasure]:
    """The current version of each measure in force on ``day``, in the list's order."""
    current = _current(session)
    countries = None if destination is None else [destination.strip().upper()]
    keys = {m.key for m in measures_in_force([to_domain(m) for m in current], countries, day)}
    found = [m for m in current if m.key in keys]
    return sorted(found, key=lambda m: (m.destination_code, m.effective_from, m.id))


def measure_versions(session: Session, key: str) -> list[MeasureView]:
    """Every recorded version of one measure, oldest first."""
    rows = session.scalars(
        select(DestinationMeasure).where(DestinationMeasure.key == key).order_by(DestinationMeasure.version)
    ).all()
    if not rows:
        raise NotFound(f"no measure {key}", [Problem("key", f"no measure {key}")])
    return [measure_view(m) for m in rows]


def measures_on(session: Session, countries: list[str]) -> list[Measure]:
    """The current version of every measure on these countries, as the domain sees them."""
    return [to_domain(m) for m in _current(session) if m.destination_code in set(countries)]


def _current(session: Session) -> list[DestinationMeasure]:
    latest: dict[str, DestinationMeasure] = {}
    for m in session.scalars(select(DestinationMeasure).order_by(DestinationMeasure.version)):
        latest[m.key] = m
    return list(latest.values())
