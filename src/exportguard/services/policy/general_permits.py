"""General Export Permit No. 41 (SOR/2015-200): exporters' yearly notices and semi-annual reports.

s.4(a): the exporter notifies the Export Controls Division before its first export under the permit
in a calendar year; s.4(b): it reports within 30 days after each period ending 31 Jan or 31 Jul.
Both are recorded here; determination treats an exporter without this year's notice as not yet
entitled to use the general permit.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import GeneralPermitRegistration, GeneralPermitReport, Party
from exportguard.domain import general_permits as rules
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import Conflict, NotFound, Problem
from exportguard.domain.policy import GeneralPermit
from exportguard.services.kernel.common import Input, View
from exportguard.services.kernel.unit_of_work import UnitOfWork

GEP_41 = "GEP-41"
LEGAL_BASIS = "General Export Permit No. 41 (SOR/2015-200) s.4"


@cache
def gep41() -> GeneralPermit:
    """The packaged eligible destinations (data/general_export_permit_41.yaml, with its source)."""
    text = files("exportguard").joinpath("data", "general_export_permit_41.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return GeneralPermit(
        name=data["name"],
        instrument=data["instrument"],
        groups=frozenset(int(g) for g in data["groups"]),
        destinations=frozenset(str(c) for c in data["eligible_destinations"]),
    )


class RegistrationInput(Input):
    exporter_id: int
    notified_on: date


class ReportLine(Input):
    consignee: str
    item_code: str
    destination: str
    quantity: int = Field(ge=0)
    value: str


class ReportInput(Input):
    exporter_id: int
    period_end: date
    filed_on: date
    lines: list[ReportLine] = []


class DueReport(View):
    exporter_id: int
    period_start: date
    period_end: date
    due: date
    overdue: bool


def _exporter(session: Session, actor: Actor, exporter_id: int) -> Party:
    party = session.get(Party, exporter_id)
    if party is None or not actor.sees(exporter_id):
        raise NotFound(f"no exporter {exporter_id}", [Problem("exporter_id", "not found")])
    return party


def register_use(uow: UnitOfWork, data: RegistrationInput) -> dict[str, Any]:
    """Record the exporter's notice of first use this calendar year (idempotent per year)."""
    uow.require(Action.RECORD_SHIPMENT)
    party = _exporter(uow.session, uow.actor, data.exporter_id)
    year = data.notified_on.year
    found = uow.session.scalar(
        select(GeneralPermitRegistration).where(
            GeneralPermitRegistration.exporter_id == party.id,
            GeneralPermitRegistration.permit == GEP_41,
            GeneralPermitRegistration.year == year,
        )
    )
    if found is None:
        row = GeneralPermitRegistration(
            exporter_id=party.id,
            permit=GEP_41,
            year=year,
            notified_on=data.notified_on,
            recorded_at=uow.clock.now(),
        )
        uow.session.add(row)
        uow.session.flush()
        after = {"exporter": party.name, "year": year, "notified_on": data.notified_on}
        uow.record(
            AuditEntry(
                command=AuditCommand.REGISTER_GENERAL_PERMIT_USE,
                subject_type="party",
                subject_id=party.id,
                subject_ref=f"{GEP_41}/{year}",
                legal_basis=LEGAL_BASIS + "(a)",
                reason="notice of first use in the year",
                effective_date=data.notified_on,
                before=None,
                after=after,
            )
        )
    uow.commit()
    return {"exporter_id": party.id, "permit": GEP_41, "year": year}


def file_report(uow: UnitOfWork, data: ReportInput) -> dict[str, Any]:
    """Record a semi-annual report; a period is reported once (s.4(b))."""
    uow.require(Action.RECORD_SHIPMENT)
    party = _exporter(uow.session, uow.actor, data.exporter_id)
    period = rules.period_of(data.period_end)
    if period.end != data.period_end:
        raise Conflict("a period ends on 31 January or 31 July", [Problem("period_end", "not a period end")])
    exists = uow.session.scalar(
        select(GeneralPermitReport.id).where(
            GeneralPermitReport.exporter_id == party.id, GeneralPermitReport.period_end == period.end
        )
    )
    if exists is None:
        lines = [line.model_dump() for line in data.lines]
        uow.session.add(
            GeneralPermitReport(
                exporter_id=party.id,
                permit=GEP_41,
                period_end=period.end,
                filed_on=data.filed_on,
                lines=lines,
                recorded_at=uow.clock.now(),
            )
        )
        uow.session.flush()
        late = data.filed_on > period.due
        uow.record(
            AuditEntry(
                command=AuditCommand.FILE_GENERAL_PERMIT_REPORT,
                subject_type="party",
                subject_id=party.id,
                subject_ref=f"{GEP_41}/{period.end}",
                legal_basis=LEGAL_BASIS + "(b)",
                reason="late report" if late else "semi-annual report",
                effective_date=data.filed_on,
                before=None,
                after={"period_end": period.end, "lines": lines, "late": late},
            )
        )
    uow.commit()
    return {"exporter_id": party.id, "period_end": period.end, "due": period.due}


def registered(session: Session, exporter_id: int | None, year: int) -> bool:
    if exporter_id is None:
        return False
    return (
        session.scalar(
            select(GeneralPermitRegistration.id).where(
                GeneralPermitRegistration.exporter_id == exporter_id,
                GeneralPermitRegistration.permit == GEP_41,
                GeneralPermitRegistration.year == year,
            )
        )
        is not None
    )


def reports_due(session: Session, actor: Actor, today: date) -> list[DueReport]:
    """Every ended period of a registered year whose report is not filed, with its due date."""
    require(actor, Action.READ_PERMITS)
    years: dict[int, set[int]] = {}
    for exporter_id, year in session.execute(
        select(GeneralPermitRegistration.exporter_id, GeneralPermitRegistration.year)
    ):
        years.setdefault(exporter_id, set()).add(year)
    filed: dict[int, set[date]] = {}
    for exporter_id, end in session.execute(
        select(GeneralPermitReport.exporter_id, GeneralPermitReport.period_end)
    ):
        filed.setdefault(exporter_id, set()).add(end)
    out = []
    for exporter_id, ys in sorted(years.items()):
        if not actor.sees(exporter_id):
            continue
        for p in rules.periods_due(ys, filed.get(exporter_id, set()), today):
            out.append(
                DueReport(
                    exporter_id=exporter_id,
                    period_start=p.start,
                    period_end=p.end,
                    due=p.due,
                    overdue=p.due < today,
                )
            )
    return out
