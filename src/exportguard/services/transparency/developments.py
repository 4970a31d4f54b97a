"""The year's developments as the annual report states them: measures, ministerial acts,
exceptions granted against a measure, permit denials, and the service standard.

Public by nature (the real report publishes each of these); exporters are not named, and an
exception or a denial is described by destination, items, ground or reasons, never by the
internal assessment or advice behind it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from exportguard.db.models import (
    Application,
    ApplicationLine,
    Decision,
    DestinationMeasure,
    MinisterialDecision,
    MinisterialDecisionPermit,
    Permit,
    PermitStateChange,
)
from exportguard.domain.transparency import ProcessingTime, ServiceStandard, service_standard
from exportguard.services.transparency.figures import year_bounds


class Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class MeasureChange(Row):
    on: date
    change: str  # adopted, revised, lifted, ended
    destination: str
    kind: str
    title: str
    legal_basis: str
    source: str


class MinisterialAct(Row):
    on: date
    act: str  # suspend, reinstate, cancel, amend_validity
    reference: str
    reason: str
    legal_basis: str
    destinations: list[str]
    permits: int


class SingleActs(Row):
    """Acts on one permit at a time (not under a bulk decision), counted by act and destination."""

    act: str
    destination: str
    permits: int


class ExceptionGranted(Row):
    on: date
    destination: str
    items: list[str]
    measure: str
    ground: str
    decided_by_role: str


class Denial(Row):
    on: date
    destination: str
    items: list[str]
    reasons: list[str]


def _recorded(
    column: InstrumentedAttribute[datetime], recorded_by: datetime | None
) -> list[ColumnElement[bool]]:
    return [] if recorded_by is None else [column <= recorded_by]


def measure_changes(session: Session, year: int, recorded_by: datetime | None = None) -> list[MeasureChange]:
    first, last = year_bounds(year)
    rows = session.scalars(
        select(DestinationMeasure)
        .where(*_recorded(DestinationMeasure.recorded_at, recorded_by))
        .order_by(DestinationMeasure.effective_from, DestinationMeasure.key, DestinationMeasure.version)
    ).all()
    out: list[MeasureChange] = []
    for m in rows:
        common = {
            "destination": m.destination_code,
            "kind": m.kind,
            "title": m.title,
            "legal_basis": m.legal_basis,
            "source": m.source,
        }
        if first <= m.effective_from <= last:
            change = "lifted" if m.lifts else ("revised" if m.version > 1 else "adopted")
            out.append(MeasureChange(on=m.effective_from, change=change, **common))
        if m.effective_to is not None and first <= m.effective_to <= last:
            out.append(MeasureChange(on=m.effective_to, change="ended", **common))
    return sorted(out, key=lambda c: (c.on, c.destination, c.title, c.change))


def ministerial_acts(
    session: Session, year: int, recorded_by: datetime | None = None
) -> list[MinisterialAct]:
    first, last = year_bounds(year)
    decisions = session.scalars(
        select(MinisterialDecision)
        .where(MinisterialDecision.effective_date >= first, MinisterialDecision.effective_date <= last)
        .where(*_recorded(MinisterialDecision.recorded_at, recorded_by))
        .order_by(MinisterialDecision.effective_date, MinisterialDecision.reference)
    ).all()
    by_decision: dict[int, set[str]] = {}
    for decision_id, code in session.execute(
        select(MinisterialDecisionPermit.decision_id, Permit.destination_code)
        .join(Permit, Permit.id == MinisterialDecisionPermit.permit_id)
        .where(MinisterialDecisionPermit.decision_id.in_([d.id for d in decisions]))
        .distinct()
    ):
        by_decision.setdefault(decision_id, set()).add(code)
    out = []
    for d in decisions:
        destinations = sorted(by_decision.get(d.id, set()))
        out.append(
            MinisterialAct(
                on=d.effective_date,
                act=d.command,
                reference=d.reference,
                reason=d.reason,
                legal_basis=d.legal_basis,
                destinations=destinations,
                permits=d.permit_count,
            )
        )
    return out


def single_acts(session: Session, year: int, recorded_by: datetime | None = None) -> list[SingleActs]:
    """Suspensions, reinstatements and cancellations of one permit, outside any bulk decision."""
    first, last = year_bounds(year)
    under_decision = {
        (pid, cmd, day)
        for pid, cmd, day in session.execute(
            select(
                MinisterialDecisionPermit.permit_id,
                MinisterialDecision.command,
                MinisterialDecision.effective_date,
            )
            .join(MinisterialDecision, MinisterialDecision.id == MinisterialDecisionPermit.decision_id)
            .where(MinisterialDecision.effective_date >= first, MinisterialDecision.effective_date <= last)
        )
    }
    counts: Counter[tuple[str, str]] = Counter()
    for pid, cmd, day, dest in session.execute(
        select(
            PermitStateChange.permit_id,
            PermitStateChange.command,
            PermitStateChange.effective_date,
            Permit.destination_code,
        )
        .join(Permit, Permit.id == PermitStateChange.permit_id)
        .where(PermitStateChange.command.in_(("suspend", "reinstate", "cancel")))
        .where(PermitStateChange.effective_date >= first, PermitStateChange.effective_date <= last)
        .where(*_recorded(PermitStateChange.recorded_at, recorded_by))
    ):
        if (pid, cmd, day) not in under_decision:
            counts[(cmd, dest)] += 1
    return [SingleActs(act=a, destination=d, permits=n) for (a, d), n in sorted(counts.items())]


def _decisions(
    session: Session, year: int, outcome: str, recorded_by: datetime | None
) -> list[tuple[Decision, Application]]:
    first, last = year_bounds(year)
    return [
        (d, a)
        for d, a in session.execute(
            select(Decision, Application)
            .join(Application, Application.id == Decision.application_id)
            .where(Decision.outcome == outcome, Decision.decided_on >= first, Decision.decided_on <= last)
            .where(*_recorded(Decision.recorded_at, recorded_by))
            .order_by(Decision.decided_on, Decision.id)
        ).all()
    ]


def _items(session: Session, application_id: int) -> list[str]:
    return sorted(
        set(
            session.scalars(
                select(ApplicationLine.item_code).where(ApplicationLine.application_id == application_id)
            )
        )
    )


def exceptions_granted(
    session: Session, year: int, recorded_by: datetime | None = None
) -> list[ExceptionGranted]:
    out = []
    for d, app in _decisions(session, year, "approve", recorded_by):
        exc = d.policy_exception
        if not exc:
            continue
        out.append(
            ExceptionGranted(
                on=d.decided_on,
                destination=app.destination_code,
                items=_items(session, app.id),
                measure=str(exc.get("measure") or exc.get("policy") or ""),
                ground=str(exc.get("ground", "")),
                decided_by_role=d.decided_by_role,
            )
        )
    return out


def denials(session: Session, year: int, recorded_by: datetime | None = None) -> list[Denial]:
    return [
        Denial(
            on=d.decided_on,
            destination=app.destination_code,
            items=_items(session, app.id),
            reasons=list(d.reasons),
        )
        for d, app in _decisions(session, year, "deny", recorded_by)
    ]


def processing_times(
    session: Session, year: int, recorded_by: datetime | None = None
) -> list[ProcessingTime]:
    """Applications decided in the year: submission to decision, from the recorded history."""
    out = []
    for outcome in ("approve", "deny"):
        for d, app in _decisions(session, year, outcome, recorded_by):
            if app.submitted_on is not None:
                out.append(ProcessingTime(app.reference, app.submitted_on, d.decided_on))
    return sorted(out, key=lambda t: (t.decided_on, t.reference))


def standard(
    session: Session, year: int, target_days: int, recorded_by: datetime | None = None
) -> ServiceStandard:
    return service_standard(processing_times(session, year, recorded_by), target_days, Decimal("90"))
