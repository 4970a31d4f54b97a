"""Questions about applications, answerable "as of" any date."""

from __future__ import annotations

from datetime import date

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Application, ApplicationStateChange
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.applications import ApplicationState
from exportguard.services.application_views import ApplicationView, application_view
from exportguard.services.applications import load_application
from exportguard.services.common import CountryCodeStr, Input, View


class ApplicationFilter(Input):
    destination: CountryCodeStr | None = None
    state: ApplicationState | None = None
    as_of: date | None = Field(default=None, description="State on this date (default: current)")
    organisation_id: int | None = None
    reference: str | None = None
    limit: int = Field(default=1000, ge=1, le=100_000)
    offset: int = Field(default=0, ge=0)


class ApplicationSummary(View):
    id: int
    reference: str
    version: int
    state: str
    destination: str
    organisation_id: int
    application_date: date
    submitted_on: date | None


def list_applications(session: Session, actor: Actor, f: ApplicationFilter) -> list[ApplicationSummary]:
    require(actor, Action.READ_APPLICATIONS)
    stmt = select(Application).order_by(Application.reference, Application.version)
    if actor.limited_to_own_records:
        stmt = stmt.where(Application.organisation_id == actor.organisation_id)
    for column, value in (
        (Application.destination_code, f.destination),
        (Application.organisation_id, f.organisation_id),
        (Application.reference, f.reference),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    apps = session.scalars(stmt).all()
    states = {a.id: a.state for a in apps}
    if f.as_of is not None:
        states = _states_as_of(session, [a.id for a in apps], f.as_of)
    out = []
    for a in apps:
        state = states.get(a.id)
        if state is None or (f.state is not None and state != f.state.value):
            continue
        out.append(
            ApplicationSummary(
                id=a.id,
                reference=a.reference,
                version=a.version,
                state=state,
                destination=a.destination_code,
                organisation_id=a.organisation_id,
                application_date=a.application_date,
                submitted_on=a.submitted_on,
            )
        )
    return out[f.offset : f.offset + f.limit]


def _states_as_of(session: Session, ids: list[int], day: date) -> dict[int, str]:
    """The last state each application entered on or before ``day`` (none if not yet drafted)."""
    rows = session.scalars(
        select(ApplicationStateChange)
        .where(ApplicationStateChange.application_id.in_(ids), ApplicationStateChange.effective_date <= day)
        .order_by(ApplicationStateChange.effective_date, ApplicationStateChange.id)
    )
    return {r.application_id: r.state for r in rows}


def get_application(session: Session, actor: Actor, application_id: int) -> ApplicationView:
    require(actor, Action.READ_APPLICATIONS)
    return application_view(session, load_application(session, actor, application_id))
