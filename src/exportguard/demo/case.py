"""The shape of a case file (e.g. data/turkey_2019_2021.yaml), validated before anything is loaded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib.resources import files
from typing import Any, Literal

import yaml
from pydantic import Field

from exportguard.domain.access import Role
from exportguard.domain.assurances import AssuranceForm
from exportguard.domain.investigations import (
    ActionKind,
    ConsultationCommand,
    ConsultationKind,
    Finding,
    Outcome,
    SourceKind,
)
from exportguard.services.applications.assessments import AdviceInput, AssessmentInput
from exportguard.services.applications.commands import DocumentInput
from exportguard.services.investigations.allegations import ConcernInput
from exportguard.services.investigations.assurances import PromisesInput
from exportguard.services.kernel.common import CountryCodeStr, Input, NonEmpty
from exportguard.services.policy.measures import MeasureInput
from exportguard.services.reference.control_list import Classification

TURKEY_CASE = "turkey_2019_2021.yaml"


class PrincipalSpec(Input):
    username: NonEmpty
    display_name: NonEmpty
    role: Role
    organisation: str | None = None
    token: NonEmpty


class PartySpec(Input):
    key: NonEmpty
    kind: Literal["organisation", "person"] = "organisation"
    name: NonEmpty
    address: NonEmpty
    city: str = ""
    country: CountryCodeStr


class ProductSpec(Input):
    key: NonEmpty
    maker: NonEmpty
    model: NonEmpty
    name: NonEmpty
    description: str = ""
    classifications: list[Classification] = Field(min_length=1)


class MeasureSpec(MeasureInput):
    by: NonEmpty


class LineSpec(Input):
    product: NonEmpty
    item_code: NonEmpty
    description: NonEmpty
    quantity: int
    unit: str = "unit"
    unit_value: Decimal
    currency: str = "CAD"
    origin_country: CountryCodeStr = "CA"
    us_content_percent: Decimal = Decimal(0)


class AdviceSpec(AdviceInput):
    by: NonEmpty


class DecisionSpec(Input):
    by: NonEmpty
    decided_on: date
    justification: NonEmpty
    policy_exception: dict[str, Any] | None = None


class PermitSpec(Input):
    number: NonEmpty
    issued_on: date
    valid_from: date | None = None
    valid_to: date
    lines: dict[int, int] = Field(min_length=1)
    conditions: str = ""


class ApplicationSpec(Input):
    """One application, its assessment and decision, and the permits issued on it."""

    key: NonEmpty
    drafted_by: NonEmpty
    officer: NonEmpty
    exporter: NonEmpty
    consignee: NonEmpty
    end_user: NonEmpty | None = None
    destination: CountryCodeStr
    end_use: NonEmpty
    end_use_location: NonEmpty
    lines: list[LineSpec] = Field(min_length=1)
    documents: list[DocumentInput] = Field(min_length=1, description="The first identifies the application")
    no_diversion_declared: bool
    requested_valid_from: date
    requested_valid_to: date
    application_date: date
    submitted_on: date | None = None
    review_on: date
    assessment: NonEmpty
    assessed_on: date
    advice: list[AdviceSpec] = []
    decision: DecisionSpec
    permits: list[PermitSpec] = []


class ShipmentSpec(Input):
    declaration_id: NonEmpty
    permit: NonEmpty
    shipped_on: date
    port: str = ""
    by: NonEmpty
    lines: dict[int, int] = Field(min_length=1)


class ActSpec(Input):
    """One ministerial act in bulk; ``permits`` is what its preview must show (checked on replay)."""

    command: Literal["suspend", "reinstate", "cancel"]
    decision_ref: NonEmpty
    scope: dict[str, str | int] = Field(min_length=1, description="Filters; holder/consignee: party keys")
    effective_date: date
    by: NonEmpty
    legal_basis: NonEmpty
    reason: NonEmpty
    permits: list[NonEmpty] = Field(min_length=1)


class ListImportSpec(Input):
    """A sanctions list publication imported on a day (a sample file in ``exportguard/data``)."""

    source: NonEmpty
    file: NonEmpty
    imported_on: date
    by: NonEmpty


class ProvenanceNote(Input):
    """What the case states, and whether it is reported (with its source), inferred or invented."""

    what: NonEmpty
    status: Literal["reported", "inferred", "invented"]
    note: NonEmpty


class AssuranceSpec(Input):
    key: NonEmpty
    application: NonEmpty | None = Field(default=None, description="An application key of this case")
    permit: NonEmpty | None = None
    given_by: NonEmpty
    country: CountryCodeStr
    form: AssuranceForm
    given_on: date
    received_by: str = ""
    promises: PromisesInput
    note: str = ""
    provenance: NonEmpty
    by: NonEmpty


class AllegationSpec(Input):
    key: NonEmpty
    source_kind: SourceKind
    source_name: NonEmpty
    claim: NonEmpty
    claimed_on: date | None = None
    received_on: date
    concerns: list[ConcernInput] = []
    by: NonEmpty


class QuestionSpec(Input):
    text: NonEmpty
    asked_on: date
    finding: Finding | None = None
    rationale: str = ""
    found_on: date | None = None


class ConsultationSpec(Input):
    kind: ConsultationKind
    addressee: NonEmpty
    request: NonEmpty
    requested_on: date
    outcome: ConsultationCommand | None = None
    response: str = ""
    responded_on: date | None = None


class BreachSpec(Input):
    assurance: NonEmpty
    question: int
    rationale: NonEmpty
    found_on: date


class RecommendedActSpec(Input):
    """A recommended act; executed by ``executed_by`` under ``decision_ref`` when given."""

    command: ActionKind
    permits: list[NonEmpty] = Field(min_length=1)
    reason: NonEmpty
    recommended_on: date
    executed_by: NonEmpty | None = None
    effective_date: date | None = None
    decision_ref: NonEmpty | None = None


class CloseSpec(Input):
    outcome: Outcome
    summary: NonEmpty
    closed_on: date


class InvestigationSpec(Input):
    allegation: NonEmpty
    title: NonEmpty
    opened_on: date
    by: NonEmpty
    reason: NonEmpty
    investigators: list[NonEmpty] = []
    questions: list[QuestionSpec] = []
    consultations: list[ConsultationSpec] = []
    breaches: list[BreachSpec] = []
    actions: list[RecommendedActSpec] = []
    close: CloseSpec | None = None


class LobbyingSpec(Input):
    export: NonEmpty = Field(description="A folder in exportguard/data with the registry's CSV files")
    imported_on: date
    by: NonEmpty


class Case(Input):
    name: NonEmpty
    title: NonEmpty
    setup_date: date
    principals: list[PrincipalSpec]
    parties: list[PartySpec]
    products: list[ProductSpec]
    measures: list[MeasureSpec] = []
    policy_file: str | None = None
    policy_authors: dict[str, str] = {}
    assessments: dict[str, AssessmentInput] = {}
    applications: list[ApplicationSpec] = []
    shipments: list[ShipmentSpec] = []
    acts: list[ActSpec] = []
    lists: list[ListImportSpec] = []
    assurances: list[AssuranceSpec] = []
    allegations: list[AllegationSpec] = []
    investigations: list[InvestigationSpec] = []
    lobbying: list[LobbyingSpec] = []
    provenance: list[ProvenanceNote] = []


def load_case_file(name: str = TURKEY_CASE) -> Case:
    """Read and validate a case packaged in ``exportguard/data``."""
    text = files("exportguard").joinpath("data", name).read_text(encoding="utf-8")
    return Case.model_validate(yaml.safe_load(text))


def load_policy_text(name: str) -> str:
    """A policy file packaged in ``exportguard/data`` (e.g. the case's destination measures)."""
    return files("exportguard").joinpath("data", name).read_text(encoding="utf-8")


def load_data_bytes(name: str) -> bytes:
    """A file packaged in ``exportguard/data`` (e.g. a sample list publication), as bytes."""
    return files("exportguard").joinpath("data", name).read_bytes()
