"""Permit applications: their lifecycle and the content EPR s.3 requires at submission."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from exportguard.domain.audit import AuditCommand
from exportguard.domain.errors import ApplicationIncomplete, IllegalTransition, Problem
from exportguard.domain.reference import ITEMS_BY_CODE, group_of, is_military


class ApplicationState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"


class ApplicationCommand(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    BEGIN_REVIEW = "begin_review"
    APPROVE = "approve"
    DENY = "deny"
    WITHDRAW = "withdraw"
    NEW_VERSION = "new_version"


A = ApplicationState
AC = ApplicationCommand

# An approved application is never edited: it is amended by a new version (a new draft that
# supersedes it once approved); the approved version and its permits stay as they were.
TRANSITIONS: dict[tuple[ApplicationState, ApplicationCommand], ApplicationState] = {
    (A.DRAFT, AC.EDIT): A.DRAFT,
    (A.DRAFT, AC.SUBMIT): A.SUBMITTED,
    (A.DRAFT, AC.WITHDRAW): A.WITHDRAWN,
    (A.SUBMITTED, AC.BEGIN_REVIEW): A.UNDER_REVIEW,
    (A.SUBMITTED, AC.WITHDRAW): A.WITHDRAWN,
    (A.UNDER_REVIEW, AC.APPROVE): A.APPROVED,
    (A.UNDER_REVIEW, AC.DENY): A.DENIED,
    (A.UNDER_REVIEW, AC.WITHDRAW): A.WITHDRAWN,
    (A.APPROVED, AC.NEW_VERSION): A.APPROVED,
}


def next_state(state: ApplicationState, command: ApplicationCommand) -> ApplicationState:
    try:
        return TRANSITIONS[(state, command)]
    except KeyError:
        raise IllegalTransition("the application", state.value, command.value) from None


class PartyRole(StrEnum):
    APPLICANT = "applicant"
    EXPORTER = "exporter"
    CONSIGNEE = "consignee"
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee"
    END_USER = "end_user"
    BROKER = "broker"


class DocumentKind(StrEnum):
    END_USE_CERTIFICATE = "end_use_certificate"
    END_USE_STATEMENT = "end_use_statement"
    INTERNATIONAL_IMPORT_CERTIFICATE = "international_import_certificate"
    CONTRACT = "contract"
    COMMERCIAL_INVOICE = "commercial_invoice"
    FINANCIAL_DOCUMENT = "financial_document"
    FOREIGN_IMPORT_PERMIT = "foreign_import_permit"
    IN_TRANSIT_AUTHORIZATION = "in_transit_authorization"
    CONTROLLED_GOODS_REGISTRATION = "controlled_goods_registration"
    US_EXPORT_AUTHORIZATION = "us_export_authorization"
    OTHER = "other"


END_USE_ASSURANCES = frozenset(
    {
        DocumentKind.END_USE_CERTIFICATE,
        DocumentKind.END_USE_STATEMENT,
        DocumentKind.INTERNATIONAL_IMPORT_CERTIFICATE,
    }
)


@dataclass(frozen=True)
class PartyContent:
    role: PartyRole
    party_id: int
    name: str
    country: str
    address: str


@dataclass(frozen=True)
class LineContent:
    line_no: int
    item_code: str
    description: str
    quantity: int
    unit: str
    unit_value: Decimal
    currency: str
    origin_country: str
    us_content_percent: Decimal
    product_items: frozenset[str] = frozenset()
    product_name: str = ""


@dataclass(frozen=True)
class ApplicationContent:
    """What EPR s.3 asks of an application, as the domain checks it."""

    parties: tuple[PartyContent, ...]
    destination: str
    end_use: str
    end_use_location: str
    lines: tuple[LineContent, ...]
    documents: frozenset[DocumentKind]
    no_diversion_declared: bool
    requested_valid_from: date | None
    requested_valid_to: date | None
    known_countries: frozenset[str] = field(default_factory=frozenset)


MAX_VALIDITY_DAYS = 5 * 366


def problems_at_submission(app: ApplicationContent) -> list[Problem]:
    """Every missing or inconsistent piece of content (EPR s.3), in a stable order."""
    problems = _party_problems(app)
    if not app.end_use.strip():
        problems.append(Problem("end_use", "EPR s.3(h): the intended end use is required"))
    if not app.end_use_location.strip():
        problems.append(Problem("end_use_location", "the location of end use is required"))
    problems.extend(_line_problems(app))
    problems.extend(_document_problems(app))
    problems.extend(_validity_problems(app))
    return problems


def _party_problems(app: ApplicationContent) -> list[Problem]:
    problems: list[Problem] = []
    roles = [p.role for p in app.parties]

    def need(role: PartyRole, why: str) -> None:
        if role not in roles:
            problems.append(Problem(f"parties.{role.value}", why))

    need(PartyRole.APPLICANT, "EPR s.3(b): the applicant is required")
    need(PartyRole.EXPORTER, "EPR s.3(c): the exporter is required (the applicant may be named again)")
    need(PartyRole.CONSIGNEE, "EPR s.3(d): at least one consignee is required")
    if any(is_military(line.item_code) for line in app.lines):
        need(PartyRole.END_USER, "an end user is required for Group 2 and Group 9 goods")
    for role in (PartyRole.APPLICANT, PartyRole.EXPORTER, PartyRole.END_USER):
        if roles.count(role) > 1:
            problems.append(Problem(f"parties.{role.value}", "only one is allowed"))
    for party in app.parties:
        if not party.address.strip():
            problems.append(
                Problem(f"parties.{party.role.value}.address", f"{party.name}: an address is required")
            )

    if not app.destination:
        problems.append(Problem("destination", "EPR s.3(e): the country of final destination is required"))
    elif app.known_countries and app.destination not in app.known_countries:
        problems.append(Problem("destination", f"'{app.destination}' is not an ISO 3166 country code"))
    for party in app.parties:
        if party.role is PartyRole.CONSIGNEE and app.destination and party.country != app.destination:
            problems.append(
                Problem(
                    "parties.consignee.country",
                    f"{party.name} is in {party.country}, not the final destination "
                    f"{app.destination}; name it an intermediate consignee",
                )
            )
        if party.role is PartyRole.APPLICANT and party.country != "CA":
            problems.append(
                Problem(
                    "parties.applicant.country",
                    "EIPA s.7(1): an export permit is issued to a resident of Canada",
                )
            )
    return problems


def _document_problems(app: ApplicationContent) -> list[Problem]:
    problems: list[Problem] = []
    if not app.documents & END_USE_ASSURANCES:
        problems.append(
            Problem(
                "documents",
                "EPR s.3(h): an end-use certificate, end-use statement "
                "or international import certificate is required",
            )
        )
    groups = {group_of(line.item_code) for line in app.lines if line.item_code in ITEMS_BY_CODE}
    needs_cgp = bool(groups & {2, 6}) or any(line.item_code == "5504" for line in app.lines)
    if needs_cgp and DocumentKind.CONTROLLED_GOODS_REGISTRATION not in app.documents:
        problems.append(
            Problem(
                "documents",
                "EPR s.3(3)(b): proof of Controlled Goods Program "
                "registration or exemption is required for Group 2, 6 "
                "or item 5504",
            )
        )
    if any(line.us_content_percent > 0 for line in app.lines) and (
        DocumentKind.US_EXPORT_AUTHORIZATION not in app.documents
    ):
        problems.append(
            Problem(
                "documents",
                "EPR s.3(3)(c): goods with US-origin content need a United States export authorization",
            )
        )
    if not app.no_diversion_declared:
        problems.append(
            Problem(
                "no_diversion_declared",
                "EPR s.3(3)(a): the declaration that the goods "
                "will not be transhipped or diverted is required",
            )
        )
    return problems


def _line_problems(app: ApplicationContent) -> list[Problem]:
    problems: list[Problem] = []
    if not app.lines:
        return [Problem("lines", "EPR s.3(f): at least one good or technology is required")]
    seen: set[int] = set()
    for line in app.lines:
        at = f"lines[{line.line_no}]"
        if line.line_no in seen:
            problems.append(Problem(f"{at}.line_no", "line numbers must be unique"))
        seen.add(line.line_no)
        if line.item_code not in ITEMS_BY_CODE:
            problems.append(
                Problem(f"{at}.item_code", f"'{line.item_code}' is not an Export Control List item")
            )
        elif line.product_items and line.item_code not in line.product_items:
            problems.append(
                Problem(
                    f"{at}.item_code",
                    f"{line.product_name or 'the product'} is classified under "
                    f"{', '.join(sorted(line.product_items))}, not {line.item_code}",
                )
            )
        description = line.description.strip()
        if len(description) < 15 or description.casefold() == line.product_name.casefold():
            problems.append(
                Problem(
                    f"{at}.description",
                    "EPR s.3(f)(iii): a technical description is required, not just a trade name",
                )
            )
        if line.quantity <= 0:
            problems.append(Problem(f"{at}.quantity", "must be a positive integer"))
        if not line.unit.strip():
            problems.append(Problem(f"{at}.unit", "the unit of quantity is required"))
        if line.unit_value <= 0:
            problems.append(Problem(f"{at}.unit_value", "must be above zero"))
        if len(line.currency) != 3 or not line.currency.isalpha() or not line.currency.isupper():
            problems.append(Problem(f"{at}.currency", f"'{line.currency}' is not an ISO 4217 code"))
        if app.known_countries and line.origin_country not in app.known_countries:
            problems.append(
                Problem(f"{at}.origin_country", f"'{line.origin_country}' is not an ISO 3166 code")
            )
        if not Decimal(0) <= line.us_content_percent <= Decimal(100):
            problems.append(Problem(f"{at}.us_content_percent", "must be between 0 and 100"))
    return problems


def _validity_problems(app: ApplicationContent) -> list[Problem]:
    start, end = app.requested_valid_from, app.requested_valid_to
    if start is None or end is None:
        return [Problem("requested_validity", "the requested validity (from, to) is required")]
    if end <= start:
        return [Problem("requested_valid_to", f"{end} is not after {start}")]
    if (end - start).days > MAX_VALIDITY_DAYS:
        return [Problem("requested_valid_to", "a permit is valid for at most five years")]
    return []


def check_submittable(app: ApplicationContent) -> None:
    problems = problems_at_submission(app)
    if problems:
        raise ApplicationIncomplete(
            f"the application cannot be submitted ({len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''})",
            problems,
        )


# What each command is recorded as in the audit log (domain/audit.py).
AUDITED_AS: dict[ApplicationCommand, AuditCommand] = {
    ApplicationCommand.EDIT: AuditCommand.EDIT_APPLICATION,
    ApplicationCommand.SUBMIT: AuditCommand.SUBMIT_APPLICATION,
    ApplicationCommand.BEGIN_REVIEW: AuditCommand.BEGIN_REVIEW_APPLICATION,
    ApplicationCommand.APPROVE: AuditCommand.APPROVE_APPLICATION,
    ApplicationCommand.DENY: AuditCommand.DENY_APPLICATION,
    ApplicationCommand.WITHDRAW: AuditCommand.WITHDRAW_APPLICATION,
    ApplicationCommand.NEW_VERSION: AuditCommand.NEW_APPLICATION_VERSION,
}
