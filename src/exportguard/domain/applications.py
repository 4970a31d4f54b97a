"""Permit applications: their lifecycle and the content EPR s.3 requires at submission."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from exportguard.domain.audit import AuditCommand
from exportguard.domain.errors import ApplicationIncomplete, IllegalTransition, Problem
from exportguard.domain.messages import N_, Message, message
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
        raise IllegalTransition(THE_APPLICATION(), state.value, command.value) from None


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

# EPR s.3: what a submission lacks, as codes with parameters (domain/messages.py).
THE_APPLICATION = message("subject.application", N_("the application"))
END_USE_REQUIRED = message("epr3.end_use_required", N_("EPR s.3(h): the intended end use is required"))
END_USE_LOCATION_REQUIRED = message(
    "epr3.end_use_location_required", N_("the location of end use is required")
)
APPLICANT_REQUIRED = message("epr3.applicant_required", N_("EPR s.3(b): the applicant is required"))
EXPORTER_REQUIRED = message(
    "epr3.exporter_required", N_("EPR s.3(c): the exporter is required (the applicant may be named again)")
)
CONSIGNEE_REQUIRED = message("epr3.consignee_required", N_("EPR s.3(d): at least one consignee is required"))
END_USER_REQUIRED = message(
    "epr3.end_user_required", N_("an end user is required for Group 2 and Group 9 goods")
)
ONLY_ONE = message("epr3.only_one", N_("only one is allowed"))
ADDRESS_REQUIRED = message("epr3.address_required", N_("%(party)s: an address is required"))
DESTINATION_REQUIRED = message(
    "epr3.destination_required", N_("EPR s.3(e): the country of final destination is required")
)
NOT_A_COUNTRY = message("epr3.not_a_country", N_("'%(code)s' is not an ISO 3166 country code"))
CONSIGNEE_NOT_AT_DESTINATION = message(
    "epr3.consignee_not_at_destination",
    N_(
        "%(party)s is in %(country)s, not the final destination %(destination)s; "
        "name it an intermediate consignee"
    ),
)
APPLICANT_RESIDENT = message(
    "epr3.applicant_resident", N_("EIPA s.7(1): an export permit is issued to a resident of Canada")
)
END_USE_ASSURANCE_REQUIRED = message(
    "epr3.end_use_assurance_required",
    N_(
        "EPR s.3(h): an end-use certificate, end-use statement or international import certificate "
        "is required"
    ),
)
CGP_REQUIRED = message(
    "epr3.cgp_required",
    N_(
        "EPR s.3(3)(b): proof of Controlled Goods Program registration or exemption is required "
        "for Group 2, 6 or item 5504"
    ),
)
US_AUTHORIZATION_REQUIRED = message(
    "epr3.us_authorization_required",
    N_("EPR s.3(3)(c): goods with US-origin content need a United States export authorization"),
)
NO_DIVERSION_REQUIRED = message(
    "epr3.no_diversion_required",
    N_("EPR s.3(3)(a): the declaration that the goods will not be transhipped or diverted is required"),
)
LINES_REQUIRED = message("epr3.lines_required", N_("EPR s.3(f): at least one good or technology is required"))
LINE_NUMBERS_UNIQUE = message("epr3.line_numbers_unique", N_("line numbers must be unique"))
NOT_AN_ITEM = message("epr3.not_an_item", N_("'%(item)s' is not an Export Control List item"))
CLASSIFIED_OTHERWISE = message(
    "epr3.classified_otherwise", N_("%(product)s is classified under %(items)s, not %(item)s")
)
THE_PRODUCT = message("subject.product", N_("the product"))
DESCRIPTION_REQUIRED = message(
    "epr3.description_required",
    N_("EPR s.3(f)(iii): a technical description is required, not just a trade name"),
)
POSITIVE_INTEGER = message("value.positive_integer", N_("must be a positive integer"))
UNIT_REQUIRED = message("epr3.unit_required", N_("the unit of quantity is required"))
ABOVE_ZERO = message("value.above_zero", N_("must be above zero"))
NOT_A_CURRENCY = message("epr3.not_a_currency", N_("'%(code)s' is not an ISO 4217 code"))
NOT_A_COUNTRY_CODE = message("epr3.not_a_country_code", N_("'%(code)s' is not an ISO 3166 code"))
PERCENT_RANGE = message("value.percent_range", N_("must be between 0 and 100"))
VALIDITY_REQUIRED = message("epr3.validity_required", N_("the requested validity (from, to) is required"))
NOT_AFTER = message("value.not_after", N_("%(end)s is not after %(start)s"))
AT_MOST_FIVE_YEARS = message("epr3.at_most_five_years", N_("a permit is valid for at most five years"))
ISSUE_A_PERMIT_FOR = message("command.issue_a_permit_for", N_("issue a permit for"))
ADD_A_DOCUMENT_TO = message("command.add_a_document_to", N_("add a document to"))
ANSWER_A_REQUEST_ON = message("command.answer_a_request_on", N_("answer a request on"))
SEND_FOR_ADVICE = message("command.send_for_advice", N_("send for advice"))
CANNOT_SUBMIT = message("epr3.cannot_submit", N_("the application cannot be submitted (%(count)s problems)"))
CANNOT_SUBMIT_ONE = message("epr3.cannot_submit_one", N_("the application cannot be submitted (1 problem)"))


def problems_at_submission(app: ApplicationContent) -> list[Problem]:
    """Every missing or inconsistent piece of content (EPR s.3), in a stable order."""
    problems = _party_problems(app)
    if not app.end_use.strip():
        problems.append(Problem.of("end_use", END_USE_REQUIRED))
    if not app.end_use_location.strip():
        problems.append(Problem.of("end_use_location", END_USE_LOCATION_REQUIRED))
    problems.extend(_line_problems(app))
    problems.extend(_document_problems(app))
    problems.extend(_validity_problems(app))
    return problems


def _party_problems(app: ApplicationContent) -> list[Problem]:
    problems: list[Problem] = []
    roles = [p.role for p in app.parties]

    def need(role: PartyRole, why: Message) -> None:
        if role not in roles:
            problems.append(Problem.of(f"parties.{role.value}", why))

    need(PartyRole.APPLICANT, APPLICANT_REQUIRED)
    need(PartyRole.EXPORTER, EXPORTER_REQUIRED)
    need(PartyRole.CONSIGNEE, CONSIGNEE_REQUIRED)
    if any(is_military(line.item_code) for line in app.lines):
        need(PartyRole.END_USER, END_USER_REQUIRED)
    for role in (PartyRole.APPLICANT, PartyRole.EXPORTER, PartyRole.END_USER):
        if roles.count(role) > 1:
            problems.append(Problem.of(f"parties.{role.value}", ONLY_ONE))
    for party in app.parties:
        if not party.address.strip():
            problems.append(
                Problem.of(f"parties.{party.role.value}.address", ADDRESS_REQUIRED, party=party.name)
            )

    if not app.destination:
        problems.append(Problem.of("destination", DESTINATION_REQUIRED))
    elif app.known_countries and app.destination not in app.known_countries:
        problems.append(Problem.of("destination", NOT_A_COUNTRY, code=app.destination))
    for party in app.parties:
        if party.role is PartyRole.CONSIGNEE and app.destination and party.country != app.destination:
            problems.append(
                Problem.of(
                    "parties.consignee.country",
                    CONSIGNEE_NOT_AT_DESTINATION,
                    party=party.name,
                    country=party.country,
                    destination=app.destination,
                )
            )
        if party.role is PartyRole.APPLICANT and party.country != "CA":
            problems.append(Problem.of("parties.applicant.country", APPLICANT_RESIDENT))
    return problems


def _document_problems(app: ApplicationContent) -> list[Problem]:
    problems: list[Problem] = []
    if not app.documents & END_USE_ASSURANCES:
        problems.append(Problem.of("documents", END_USE_ASSURANCE_REQUIRED))
    groups = {group_of(line.item_code) for line in app.lines if line.item_code in ITEMS_BY_CODE}
    needs_cgp = bool(groups & {2, 6}) or any(line.item_code == "5504" for line in app.lines)
    if needs_cgp and DocumentKind.CONTROLLED_GOODS_REGISTRATION not in app.documents:
        problems.append(Problem.of("documents", CGP_REQUIRED))
    if any(line.us_content_percent > 0 for line in app.lines) and (
        DocumentKind.US_EXPORT_AUTHORIZATION not in app.documents
    ):
        problems.append(Problem.of("documents", US_AUTHORIZATION_REQUIRED))
    if not app.no_diversion_declared:
        problems.append(Problem.of("no_diversion_declared", NO_DIVERSION_REQUIRED))
    return problems


def _line_problems(app: ApplicationContent) -> list[Problem]:
    problems: list[Problem] = []
    if not app.lines:
        return [Problem.of("lines", LINES_REQUIRED)]
    seen: set[int] = set()
    for line in app.lines:
        at = f"lines[{line.line_no}]"
        if line.line_no in seen:
            problems.append(Problem.of(f"{at}.line_no", LINE_NUMBERS_UNIQUE))
        seen.add(line.line_no)
        if line.item_code not in ITEMS_BY_CODE:
            problems.append(Problem.of(f"{at}.item_code", NOT_AN_ITEM, item=line.item_code))
        elif line.product_items and line.item_code not in line.product_items:
            problems.append(
                Problem.of(
                    f"{at}.item_code",
                    CLASSIFIED_OTHERWISE,
                    product=line.product_name or THE_PRODUCT(),
                    items=", ".join(sorted(line.product_items)),
                    item=line.item_code,
                )
            )
        description = line.description.strip()
        if len(description) < 15 or description.casefold() == line.product_name.casefold():
            problems.append(Problem.of(f"{at}.description", DESCRIPTION_REQUIRED))
        if line.quantity <= 0:
            problems.append(Problem.of(f"{at}.quantity", POSITIVE_INTEGER))
        if not line.unit.strip():
            problems.append(Problem.of(f"{at}.unit", UNIT_REQUIRED))
        if line.unit_value <= 0:
            problems.append(Problem.of(f"{at}.unit_value", ABOVE_ZERO))
        if len(line.currency) != 3 or not line.currency.isalpha() or not line.currency.isupper():
            problems.append(Problem.of(f"{at}.currency", NOT_A_CURRENCY, code=line.currency))
        if app.known_countries and line.origin_country not in app.known_countries:
            problems.append(Problem.of(f"{at}.origin_country", NOT_A_COUNTRY_CODE, code=line.origin_country))
        if not Decimal(0) <= line.us_content_percent <= Decimal(100):
            problems.append(Problem.of(f"{at}.us_content_percent", PERCENT_RANGE))
    return problems


def _validity_problems(app: ApplicationContent) -> list[Problem]:
    start, end = app.requested_valid_from, app.requested_valid_to
    if start is None or end is None:
        return [Problem.of("requested_validity", VALIDITY_REQUIRED)]
    if end <= start:
        return [Problem.of("requested_valid_to", NOT_AFTER, end=end, start=start)]
    if (end - start).days > MAX_VALIDITY_DAYS:
        return [Problem.of("requested_valid_to", AT_MOST_FIVE_YEARS)]
    return []


def check_submittable(app: ApplicationContent) -> None:
    problems = problems_at_submission(app)
    if problems:
        said = CANNOT_SUBMIT_ONE() if len(problems) == 1 else CANNOT_SUBMIT(count=len(problems))
        raise ApplicationIncomplete(str(said), problems, said=said)


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
