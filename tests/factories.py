"""Factories per aggregate: they call the real services, so tests exercise the real rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from exportguard.domain.access import Actor, Role
from exportguard.domain.applications import DocumentKind, PartyRole
from exportguard.domain.assessment import Consideration, Risk
from exportguard.services.applications import assessments, casework
from exportguard.services.applications import commands as applications
from exportguard.services.applications.views import ApplicationView
from exportguard.services.border import shipments
from exportguard.services.parties import registry as parties
from exportguard.services.permits import commands as permits
from exportguard.services.permits.views import PermitView
from exportguard.services.reference import control_list as reference
from exportguard.services.system import ExportGuard

OFFICER = Actor("officer.ortiz", Role.OFFICER)
DIRECTOR = Actor("director.dupuis", Role.DIRECTOR)
MINISTER = Actor("minister.champagne", Role.MINISTER)
ADVISOR = Actor("advisor.dnd", Role.ADVISOR)
AUDITOR = Actor("auditor.ames", Role.AUDITOR)


@dataclass
class World:
    """The parties and product most tests need."""

    exporter_id: int
    consignee_id: int
    end_user_id: int
    product_id: int

    def exporter_actor(self) -> Actor:
        return Actor("exporter.wescam", Role.EXPORTER, self.exporter_id)


def party(eg: ExportGuard, name: str, country: str, kind: str = "organisation") -> int:
    with eg.uow(OFFICER) as uow:
        return parties.register_party(
            uow, parties.NewParty(kind=kind, name=name, country=country, address=f"1 Main Street, {name}")
        ).id  # type: ignore[arg-type]


def world(eg: ExportGuard) -> World:
    exporter = party(eg, "L3Harris Wescam", "CA")
    consignee = party(eg, "Baykar Makina", "TR")
    end_user = party(eg, "Turkish Ministry of National Defence", "TR")
    with eg.uow(OFFICER) as uow:
        product = reference.register_product(
            uow,
            reference.NewProduct(
                maker_id=exporter,
                model="MX-15D",
                name="MX-15D",
                description="EO/IR imaging and laser targeting turret",
                classifications=[
                    reference.Classification(item_code="2-15", rationale="military imaging"),
                    reference.Classification(item_code="2-5", rationale="target designation"),
                ],
            ),
        )
    return World(exporter, consignee, end_user, product.id)


def application_input(w: World, **overrides: object) -> applications.ApplicationInput:
    data: dict[str, object] = {
        "destination": "TR",
        "end_use": "Integration on Bayraktar TB2 unmanned aircraft for the Turkish armed forces",
        "end_use_location": "Turkey",
        "parties": [
            {"role": PartyRole.APPLICANT, "party_id": w.exporter_id},
            {"role": PartyRole.EXPORTER, "party_id": w.exporter_id},
            {"role": PartyRole.CONSIGNEE, "party_id": w.consignee_id},
            {"role": PartyRole.END_USER, "party_id": w.end_user_id},
        ],
        "lines": [
            {
                "line_no": 1,
                "product_id": w.product_id,
                "item_code": "2-15",
                "description": "MX-15D EO/IR imaging and laser designation turret",
                "quantity": 7,
                "unit": "unit",
                "unit_value": Decimal("1500000.00"),
                "currency": "CAD",
                "origin_country": "CA",
                "us_content_percent": Decimal("0"),
            }
        ],
        "documents": [
            {"kind": DocumentKind.END_USE_CERTIFICATE, "reference": "EUC-2020-17"},
            {"kind": DocumentKind.CONTROLLED_GOODS_REGISTRATION, "reference": "CGP-12345"},
        ],
        "no_diversion_declared": True,
        "requested_valid_from": date(2020, 5, 1),
        "requested_valid_to": date(2021, 6, 30),
    }
    data.update(overrides)
    return applications.ApplicationInput.model_validate(data)


def submitted(eg: ExportGuard, w: World, **overrides: object) -> ApplicationView:
    with eg.uow(OFFICER) as uow:
        app = applications.draft_application(uow, application_input(w, **overrides))
    with eg.uow(OFFICER) as uow:
        return applications.submit_application(uow, app.id)


def all_findings(risk: Risk = Risk.LOW, residual: Risk | None = None) -> list[assessments.FindingInput]:
    return [
        assessments.FindingInput(
            consideration=c, risk=risk, residual_risk=residual or risk, rationale=f"assessed {c.value}"
        )
        for c in Consideration
    ]


def sent_for_advice(eg: ExportGuard, application_id: int, department: str = "National Defence") -> None:
    """The officer sends the case under review to a department (its advisors then see it)."""
    with eg.uow(OFFICER) as uow:
        casework.request_advice(
            uow,
            application_id,
            casework.AdviceRequestInput(department=department, due_on=uow.clock.today() + timedelta(days=30)),
        )


def approved(
    eg: ExportGuard, w: World, *, advice_from: str | None = None, **overrides: object
) -> ApplicationView:
    app = submitted(eg, w, **overrides)
    with eg.uow(OFFICER) as uow:
        applications.begin_review(uow, app.id)
    if advice_from is not None:
        sent_for_advice(eg, app.id, advice_from)
    with eg.uow(OFFICER) as uow:
        assessments.record_assessment(
            uow,
            app.id,
            assessments.AssessmentInput(
                findings=all_findings(), diversion_risk=Risk.LOW, recommendation="issue"
            ),
        )  # type: ignore[arg-type]
    with eg.uow(DIRECTOR) as uow:
        assessments.approve_application(uow, app.id, assessments.ApprovalInput(justification="low risk"))
    with eg.read() as session:
        return applications.application_view(session, applications.load_application(session, OFFICER, app.id))


def issued(
    eg: ExportGuard,
    w: World,
    quantity: int = 7,
    valid_from: date = date(2020, 5, 15),
    valid_to: date = date(2021, 6, 30),
    app: ApplicationView | None = None,
    issued_on: date | None = None,
    retroactive_reason: str | None = None,
) -> PermitView:
    """A permit issued on ``issued_on`` (default: ``valid_from``); valid from before its issue only
    as a retroactive permit (EIPA s.8.5), with ``retroactive_reason``."""
    app = app or approved(eg, w)
    with eg.uow(OFFICER) as uow:
        return permits.issue_permit(
            uow,
            app.id,
            permits.IssueInput(
                valid_from=valid_from,
                valid_to=valid_to,
                issued_on=issued_on or valid_from,
                retroactive=retroactive_reason is not None,
                retroactive_reason=retroactive_reason,
                lines=[permits.PermitLineInput(application_line_no=1, quantity=quantity)],
            ),
        )


def ship(eg: ExportGuard, w: World, permit_id: int, declaration: str, on: date, quantity: int = 1) -> None:
    """One shipment of ``quantity`` on the permit's first line, recorded by its holder."""
    with eg.uow(w.exporter_actor()) as uow:
        shipments.record_shipment(
            uow,
            shipments.ShipmentInput(
                declaration_id=declaration,
                permit_id=permit_id,
                shipped_on=on,
                lines=[shipments.ShipmentLineInput(permit_line_no=1, quantity=quantity)],
            ),
        )
