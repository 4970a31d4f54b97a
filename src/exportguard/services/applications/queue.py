"""The officers' work queue: open applications, filtered, with each case's age against the service
standard, who has it, and what it waits for (an answer from the applicant, advice, a decision)."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import (
    AdviceRecord,
    AdviceRequest,
    Application,
    CaseAssignment,
    InformationRequest,
    Party,
    Principal,
)
from exportguard.domain.access import Action, Actor, Role, require
from exportguard.domain.accounts import Status
from exportguard.domain.applications import ApplicationState
from exportguard.domain.reference import group_of
from exportguard.services.applications.visibility import visible_applications
from exportguard.services.kernel.common import CountryCodeStr, Input, View

# Global Affairs Canada's service standard for permits that need consultation: 40 business days.
SERVICE_STANDARD_DAYS = 40
OPEN_STATES = (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW)


class QueueFilter(Input):
    state: ApplicationState | None = None
    destination: CountryCodeStr | None = None
    item_group: int | None = Field(default=None, ge=1, le=9)
    min_age: int | None = Field(default=None, ge=0, le=10_000, description="Business days since submission")
    assignee: str | None = Field(default=None, max_length=80, description="'me', 'none' or a principal")


class QueueRow(View):
    id: int
    reference: str
    version: int
    applicant: str
    destination: str
    state: str
    item_groups: list[int]
    submitted_on: date | None
    age: int
    over_standard: bool
    assigned_to: str | None
    waiting_for: list[str]


def assignees(session: Session, actor: Actor) -> list[str]:
    """Whom the queue can be filtered by: every active officer, and whoever holds a case now (an
    officer since suspended still holds the cases assigned before)."""
    require(actor, Action.READ_APPLICATIONS)
    officers = session.scalars(
        select(Principal.username).where(
            Principal.role == Role.OFFICER.value, Principal.status == Status.ACTIVE.value
        )
    )
    holding = session.scalars(select(CaseAssignment.officer).distinct())
    return sorted({*officers, *holding})


def business_days(start: date, end: date) -> int:
    """Weekdays after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    extra = sum(1 for n in range(1, rest + 1) if (start + timedelta(days=n)).weekday() < 5)
    return weeks * 5 + extra


def work_queue(session: Session, actor: Actor, f: QueueFilter, today: date) -> list[QueueRow]:
    require(actor, Action.READ_APPLICATIONS)
    states = [f.state.value] if f.state is not None else [s.value for s in OPEN_STATES]
    stmt = (
        select(Application)
        .where(visible_applications(actor), Application.state.in_(states))
        .order_by(Application.submitted_on, Application.id)
    )
    if f.destination:
        stmt = stmt.where(Application.destination_code == f.destination)
    apps = session.scalars(stmt).all()
    ids = [a.id for a in apps]
    names = dict(session.execute(select(Party.id, Party.name)).all())
    assigned = dict(
        session.execute(
            select(CaseAssignment.application_id, CaseAssignment.officer).where(
                CaseAssignment.application_id.in_(ids)
            )
        ).all()
    )
    unanswered = set(
        session.scalars(
            select(InformationRequest.application_id).where(
                InformationRequest.application_id.in_(ids), InformationRequest.answer.is_(None)
            )
        )
    )
    asked = {
        (a, d)
        for a, d in session.execute(
            select(AdviceRequest.application_id, AdviceRequest.department).where(
                AdviceRequest.application_id.in_(ids)
            )
        )
    }
    given = {
        (a, d)
        for a, d in session.execute(
            select(AdviceRecord.application_id, AdviceRecord.department).where(
                AdviceRecord.application_id.in_(ids)
            )
        )
    }
    who = {"me": actor.principal, "none": None}.get(f.assignee or "", f.assignee)
    rows = []
    for app in apps:
        groups = sorted({group_of(line.item_code) for line in app.lines})
        age = business_days(app.submitted_on, today) if app.submitted_on else 0
        waiting = []
        if app.id in unanswered:
            waiting.append("applicant")
        waiting += sorted(d for a, d in asked - given if a == app.id)
        row = QueueRow(
            id=app.id,
            reference=app.reference,
            version=app.version,
            applicant=names.get(app.organisation_id, ""),
            destination=app.destination_code,
            state=app.state,
            item_groups=groups,
            submitted_on=app.submitted_on,
            age=age,
            over_standard=age > SERVICE_STANDARD_DAYS,
            assigned_to=assigned.get(app.id),
            waiting_for=waiting,
        )
        if f.item_group is not None and f.item_group not in groups:
            continue
        if f.min_age is not None and age < f.min_age:
            continue
        if f.assignee and row.assigned_to != who:
            continue
        rows.append(row)
    return rows
