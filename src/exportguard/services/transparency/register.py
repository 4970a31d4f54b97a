"""The public register: what anyone may read without signing in.

Measures in force by country today and their history, the ministerial acts on permits with their
dates, reasons and counts, and the years that have published statistics. Public by declared rule:
nothing here names an exporter, a consignee or an end user, gives a permit's quantities or values,
or carries an internal assessment (tests/integration/services/transparency checks every output).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from exportguard.db.models import Country, MinisterialDecision, Shipment
from exportguard.domain.access import Actor, Role
from exportguard.services.policy.measures import list_measures, measure_versions
from exportguard.services.transparency.developments import MinisterialAct, ministerial_acts

# Who reads the public outputs: anyone, signed in or not.
PUBLIC_READER = Actor("public", Role.PUBLIC)


class PublicMeasure(BaseModel):
    key: str
    destination: str
    destination_name: str
    kind: str
    title: str
    legal_basis: str
    source: str
    effective_from: date
    effective_to: date | None
    versions: int


class Register(BaseModel):
    on: date
    measures: list[PublicMeasure]
    acts: list[MinisterialAct]
    report_years: list[int]


def measures_in_force(session: Session, on: date) -> list[PublicMeasure]:
    names = dict(session.execute(select(Country.code, Country.name)).all())
    return [
        PublicMeasure(
            key=m.key,
            destination=m.destination,
            destination_name=names.get(m.destination, m.destination),
            kind=m.kind,
            title=m.title,
            legal_basis=m.legal_basis,
            source=m.source,
            effective_from=m.effective_from,
            effective_to=m.effective_to,
            versions=len(measure_versions(session, m.key)),
        )
        for m in list_measures(session, None, on)
    ]


def report_years(session: Session) -> list[int]:
    """Years with recorded exports or ministerial acts: the years a report can be read for."""
    shipped = session.scalars(select(func.distinct(extract("year", Shipment.shipped_on)))).all()
    acted = session.scalars(select(func.distinct(extract("year", MinisterialDecision.effective_date)))).all()
    return sorted({int(y) for y in (*shipped, *acted) if y is not None})


def register(session: Session, on: date) -> Register:
    years = report_years(session)
    acts = [a for y in years for a in ministerial_acts(session, y)]
    return Register(on=on, measures=measures_in_force(session, on), acts=acts, report_years=years)
