"""What readers see of an application (API responses, CLI output, pages)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Application, ApplicationStateChange, Party
from exportguard.services.kernel.common import View


class PartyRef(View):
    role: str
    party_id: int
    name: str
    country: str


class LineView(View):
    line_no: int
    product_id: int
    item_code: str
    description: str
    quantity: int
    unit: str
    unit_value: Decimal
    currency: str
    total_value: Decimal
    origin_country: str
    us_content_percent: Decimal


class DocumentView(View):
    kind: str
    reference: str
    issued_by: str
    issued_on: date | None
    description: str


class HistoryEntry(View):
    state: str
    command: str
    effective_date: date
    principal: str


class ApplicationView(View):
    id: int
    reference: str
    version: int
    supersedes_id: int | None
    state: str
    organisation_id: int
    destination: str
    end_use: str
    end_use_location: str
    no_diversion_declared: bool
    requested_valid_from: date | None
    requested_valid_to: date | None
    application_date: date
    submitted_on: date | None
    parties: list[PartyRef]
    lines: list[LineView]
    documents: list[DocumentView]
    history: list[HistoryEntry] = []

    def audit_form(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"history"})


def application_view(session: Session, app: Application) -> ApplicationView:
    parties = []
    for ap in app.parties:
        party = session.get(Party, ap.party_id)
        assert party is not None  # foreign key
        parties.append(PartyRef(role=ap.role, party_id=party.id, name=party.name, country=party.country_code))
    history = session.scalars(
        select(ApplicationStateChange)
        .where(ApplicationStateChange.application_id == app.id)
        .order_by(ApplicationStateChange.effective_date, ApplicationStateChange.id)
    )
    return ApplicationView(
        id=app.id,
        reference=app.reference,
        version=app.version,
        supersedes_id=app.supersedes_id,
        state=app.state,
        organisation_id=app.organisation_id,
        destination=app.destination_code,
        end_use=app.end_use,
        end_use_location=app.end_use_location,
        no_diversion_declared=app.no_diversion_declared,
        requested_valid_from=app.requested_valid_from,
        requested_valid_to=app.requested_valid_to,
        application_date=app.application_date,
        submitted_on=app.submitted_on,
        parties=parties,
        lines=[
            LineView(
                line_no=ln.line_no,
                product_id=ln.product_id,
                item_code=ln.item_code,
                description=ln.description,
                quantity=ln.quantity,
                unit=ln.unit,
                unit_value=ln.unit_value,
                currency=ln.currency,
                total_value=ln.unit_value * ln.quantity,
                origin_country=ln.origin_country,
                us_content_percent=ln.us_content_percent,
            )
            for ln in app.lines
        ],
        documents=[DocumentView.model_validate(d) for d in app.documents],
        history=[HistoryEntry.model_validate(h) for h in history],
    )
