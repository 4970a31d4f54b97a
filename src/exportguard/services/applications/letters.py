"""What a decision letter (approval, or denial with reasons) says, read as the application is read
(PERMISSIONS[READ_APPLICATIONS]; exporters their own organisation's only)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Country, Party, Permit
from exportguard.domain.access import Actor
from exportguard.domain.applications import PartyRole
from exportguard.domain.errors import NotFound, Problem
from exportguard.services.applications.assessments import DecisionView, read_assessment
from exportguard.services.applications.queries import get_application
from exportguard.services.applications.views import ApplicationView
from exportguard.services.kernel.common import View
from exportguard.services.parties.registry import PartyView, party_view


class DecisionLetter(View):
    application: ApplicationView
    decision: DecisionView
    applicant: PartyView
    countries: dict[str, str]
    permits: list[str]


def decision_letter(session: Session, actor: Actor, application_id: int) -> DecisionLetter:
    """The latest decision on the application, with what the letter needs around it."""
    app = get_application(session, actor, application_id)
    decisions = read_assessment(session, actor, application_id).decisions
    if not decisions:
        raise NotFound(
            f"application {app.reference} has no decision yet",
            [Problem("application_id", "not decided")],
        )
    applicant_id = next(
        (p.party_id for p in app.parties if p.role == PartyRole.APPLICANT.value), app.organisation_id
    )
    applicant = session.get(Party, applicant_id)
    assert applicant is not None  # foreign key
    codes = {app.destination, applicant.country_code, *(p.country for p in app.parties)}
    countries = dict(session.execute(select(Country.code, Country.name).where(Country.code.in_(codes))).all())
    permits = [
        f"{n}/v{v}"
        for n, v in session.execute(
            select(Permit.number, Permit.version)
            .where(Permit.application_id == application_id)
            .order_by(Permit.number, Permit.version)
        )
    ]
    return DecisionLetter(
        application=app,
        decision=decisions[-1],
        applicant=party_view(applicant),
        countries=countries,
        permits=permits,
    )
