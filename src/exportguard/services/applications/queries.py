"""Questions about applications, answerable "as of" any date."""

from __future__ import annotations

from datetime import date

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Application, ApplicationStateChange, Party
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.applications import ApplicationState
from exportguard.domain.errors import InvalidInput
from exportguard.services.applications.commands import load_application
from exportguard.services.applications.views import ApplicationView, application_view
from exportguard.services.applications.visibility import visible_applications
from exportguard.services.kernel.common import CountryCodeStr, Input, View
from exportguard.services.reference.control_list import known_countries


class ApplicationFilter(Input):
    destination: CountryCodeStr | None = None
    state: ApplicationState | None = None
    as_of: date | None = Field(default=None, description="State on this date (default: as stored now)")
    limit: int = Field(default=1000, ge=1, le=100_000)


class ApplicationSummary(View):
    id: int
    reference: str
    version: int
    applicant: str
    destination: str
    state: str
    application_date: date
    submitted_on: date | None


def list_applications(session: Session, actor: Actor, f: ApplicationFilter) -> list[ApplicationSummary]:
    require(actor, Action.READ_APPLICATIONS)
    if f.destination is not None and f.destination not in known_countries(session):
        raise InvalidInput.of("destination", f"'{f.destination}' is not an ISO 3166 country code")
    stmt = select(Application).order_by(Application.reference, Application.version)
    stmt = stmt.where(visible_applications(actor))
    if f.destination is not None:
        stmt = stmt.where(Application.destination_code == f.destination)
    apps = session.scalars(stmt).all()
    states = {a.id: a.state for a in apps}
    if f.as_of is not None:
        states = {}
        for change in session.scalars(
            select(ApplicationStateChange)
            .where(
                ApplicationStateChange.application_id.in_([a.id for a in apps]),
                ApplicationStateChange.effective_date <= f.as_of,
            )
            .order_by(ApplicationStateChange.effective_date, ApplicationStateChange.id)
        ):
            states[change.application_id] = change.state  # the last change on or before the day wins
    names = dict(session.execute(select(Party.id, Party.name)).all())
    out = [
        ApplicationSummary(
            id=a.id,
            reference=a.reference,
            version=a.version,
            applicant=names.get(a.organisation_id, ""),
            destination=a.destination_code,
            state=states[a.id],
            application_date=a.application_date,
            submitted_on=a.submitted_on,
        )
        for a in apps
        if a.id in states and (f.state is None or states[a.id] == f.state.value)
    ]
    return out[: f.limit]


def get_application(session: Session, actor: Actor, application_id: int) -> ApplicationView:
    require(actor, Action.READ_APPLICATIONS)
    return application_view(session, load_application(session, actor, application_id))
