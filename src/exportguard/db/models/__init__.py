"""Every model, imported here so that metadata and Alembic see them all."""

from exportguard.db.models.accounts import ApiToken, Organisation, Principal, RecoveryCode, SignInSession
from exportguard.db.models.applications import (
    AdviceRecord,
    Application,
    ApplicationLine,
    ApplicationParty,
    ApplicationStateChange,
    Assessment,
    AssessmentFinding,
    Decision,
    SupportingDocument,
)
from exportguard.db.models.assurances import DiversionFlag, EndUseAssurance, VerificationCheck
from exportguard.db.models.audit import AuditCheckpoint, AuditEvent, AuditLeaf
from exportguard.db.models.base import Base
from exportguard.db.models.border import AuthorisationCheck, PermitLineUsage
from exportguard.db.models.casework import AdviceRequest, ApplicationFile, CaseAssignment, InformationRequest
from exportguard.db.models.figures import ExportRollup, ExportRollupSeal
from exportguard.db.models.general_permits import GeneralPermitRegistration, GeneralPermitReport
from exportguard.db.models.investigations import (
    Allegation,
    AllegationConcern,
    Consultation,
    CustodyEvent,
    EvidenceAttachment,
    EvidenceItem,
    Investigation,
    InvestigationAssignment,
    InvestigationQuestion,
    RecommendedAction,
)
from exportguard.db.models.lobbying import LobbyingCommunication, LobbyingImport
from exportguard.db.models.ministerial import MinisterialDecision, MinisterialDecisionPermit, SavedScope
from exportguard.db.models.notices import Notice, NoticeEndpoint
from exportguard.db.models.parties import Party
from exportguard.db.models.permits import (
    Permit,
    PermitLine,
    PermitStateChange,
    ReversalRequest,
    Shipment,
    ShipmentLine,
)
from exportguard.db.models.policies import DestinationMeasure
from exportguard.db.models.reference import (
    ControlListGroup,
    ControlListItem,
    Country,
    Product,
    ProductClassification,
)
from exportguard.db.models.screening import (
    ListEntryRecord,
    ListSnapshot,
    ScreeningAlert,
    ScreeningHit,
)

__all__ = [
    "AdviceRecord",
    "AdviceRequest",
    "Allegation",
    "AllegationConcern",
    "ApiToken",
    "Application",
    "ApplicationFile",
    "ApplicationLine",
    "ApplicationParty",
    "ApplicationStateChange",
    "Assessment",
    "AssessmentFinding",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditLeaf",
    "AuthorisationCheck",
    "Base",
    "CaseAssignment",
    "Consultation",
    "ControlListGroup",
    "ControlListItem",
    "Country",
    "CustodyEvent",
    "Decision",
    "DestinationMeasure",
    "DiversionFlag",
    "EndUseAssurance",
    "EvidenceAttachment",
    "EvidenceItem",
    "ExportRollup",
    "ExportRollupSeal",
    "GeneralPermitRegistration",
    "GeneralPermitReport",
    "InformationRequest",
    "Investigation",
    "InvestigationAssignment",
    "InvestigationQuestion",
    "ListEntryRecord",
    "ListSnapshot",
    "LobbyingCommunication",
    "LobbyingImport",
    "MinisterialDecision",
    "MinisterialDecisionPermit",
    "Notice",
    "NoticeEndpoint",
    "Organisation",
    "Party",
    "Permit",
    "PermitLine",
    "PermitLineUsage",
    "PermitStateChange",
    "Principal",
    "Product",
    "ProductClassification",
    "RecommendedAction",
    "RecoveryCode",
    "ReversalRequest",
    "SavedScope",
    "ScreeningAlert",
    "ScreeningHit",
    "Shipment",
    "ShipmentLine",
    "SignInSession",
    "SupportingDocument",
    "VerificationCheck",
]
