"""What General Export Permit No. 41 has on record: registrations (notices of first use in a year)
and semi-annual reports filed, read as the permit register is (exporters their own only)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import GeneralPermitRegistration, GeneralPermitReport, Party
from exportguard.domain import general_permits as rules
from exportguard.domain.access import Action, Actor, require
from exportguard.services.kernel.common import View
from exportguard.services.policy.general_permits import GEP_41


class Registration(View):
    exporter_id: int
    exporter: str
    year: int
    notified_on: date


class FiledReport(View):
    exporter_id: int
    exporter: str
    period_end: date
    filed_on: date
    due: date
    late: bool
    lines: int


def on_record(session: Session, actor: Actor) -> tuple[list[Registration], list[FiledReport]]:
    """Registrations (newest year first) and filed reports (newest period first)."""
    require(actor, Action.READ_PERMITS)
    names = dict(session.execute(select(Party.id, Party.name)).all())
    registrations = [
        Registration(
            exporter_id=r.exporter_id,
            exporter=names.get(r.exporter_id, ""),
            year=r.year,
            notified_on=r.notified_on,
        )
        for r in session.scalars(
            select(GeneralPermitRegistration)
            .where(GeneralPermitRegistration.permit == GEP_41)
            .order_by(GeneralPermitRegistration.year.desc(), GeneralPermitRegistration.exporter_id)
        )
        if actor.sees(r.exporter_id)
    ]
    reports = []
    for r in session.scalars(
        select(GeneralPermitReport)
        .where(GeneralPermitReport.permit == GEP_41)
        .order_by(GeneralPermitReport.period_end.desc(), GeneralPermitReport.exporter_id)
    ):
        if not actor.sees(r.exporter_id):
            continue
        due = rules.period_of(r.period_end).due
        reports.append(
            FiledReport(
                exporter_id=r.exporter_id,
                exporter=names.get(r.exporter_id, ""),
                period_end=r.period_end,
                filed_on=r.filed_on,
                due=due,
                late=r.filed_on > due,
                lines=len(r.lines),
            )
        )
    return registrations, reports
