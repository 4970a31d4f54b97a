"""The acts an application's next act rests on, read from its history (issue 11)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Application, ApplicationStateChange
from exportguard.domain.applications import ApplicationCommand
from exportguard.domain.chronology import PriorAct

_WORDS = {
    "draft": "application date",
    "submit": "submission",
    "begin_review": "start of review",
    "approve": "approval",
    "deny": "denial",
    "withdraw": "withdrawal",
}


def last_act(session: Session, app: Application) -> PriorAct | None:
    """The application's latest recorded change (its draft, submission, review or decision)."""
    row = session.execute(
        select(ApplicationStateChange.command, ApplicationStateChange.effective_date)
        .where(ApplicationStateChange.application_id == app.id)
        .order_by(ApplicationStateChange.effective_date.desc(), ApplicationStateChange.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return PriorAct(_WORDS.get(row.command, row.command.replace("_", " ")), row.effective_date)


def approval(session: Session, app: Application) -> PriorAct | None:
    """When the application was approved (the act a permit's issue rests on)."""
    day = session.scalar(
        select(ApplicationStateChange.effective_date)
        .where(
            ApplicationStateChange.application_id == app.id,
            ApplicationStateChange.command == ApplicationCommand.APPROVE.value,
        )
        .order_by(ApplicationStateChange.id.desc())
        .limit(1)
    )
    return None if day is None else PriorAct("approval", day)
