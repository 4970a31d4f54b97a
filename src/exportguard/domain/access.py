"""Who may do what: one declared table of roles and actions (tested row by row)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from exportguard.domain.errors import NotPermitted
from exportguard.domain.messages import N_, message

ROLE_MAY_NOT = message("access.role_may_not", N_("role '%(role)s' may not %(action)s"))
TOKEN_NOT_SCOPED = message("access.token_not_scoped", N_("this token is not scoped to %(action)s"))


class Role(StrEnum):
    EXPORTER = "exporter"
    OFFICER = "officer"
    DIRECTOR = "director"
    MINISTER = "minister"
    ADVISOR = "advisor"
    CUSTOMS = "customs"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"
    PUBLIC = "public"


class Action(StrEnum):
    READ_REFERENCE = "read_reference"
    MANAGE_REFERENCE = "manage_reference"
    READ_PARTIES = "read_parties"
    MANAGE_PARTIES = "manage_parties"
    READ_APPLICATIONS = "read_applications"
    DRAFT_APPLICATION = "draft_application"
    SUBMIT_APPLICATION = "submit_application"
    WITHDRAW_APPLICATION = "withdraw_application"
    REVIEW_APPLICATION = "review_application"
    ASSESS_APPLICATION = "assess_application"
    GIVE_ADVICE = "give_advice"
    DECIDE_APPLICATION = "decide_application"
    READ_PERMITS = "read_permits"
    VERIFY_PERMIT = "verify_permit"
    ISSUE_PERMIT = "issue_permit"
    ALTER_PERMIT = "alter_permit"
    EXPIRE_PERMITS = "expire_permits"
    RECORD_SHIPMENT = "record_shipment"
    CHECK_AUTHORISATION = "check_authorisation"
    READ_CHECKS = "read_checks"
    READ_POLICIES = "read_policies"
    MANAGE_POLICIES = "manage_policies"
    READ_AUDIT = "read_audit"
    READ_REPORTS = "read_reports"
    IMPORT_LIST = "import_list"
    SCREEN_PARTY = "screen_party"
    RECORD_SCREENING_DISPOSITION = "record_screening_disposition"
    READ_SCREENING = "read_screening"
    SUBMIT_ALLEGATION = "submit_allegation"
    RECORD_ALLEGATION = "record_allegation"
    TRIAGE_ALLEGATION = "triage_allegation"
    INVESTIGATE = "investigate"
    READ_INVESTIGATIONS = "read_investigations"
    RECORD_ASSURANCE = "record_assurance"
    READ_ASSURANCES = "read_assurances"
    VERIFY_END_USE = "verify_end_use"
    READ_DIVERSION_FLAGS = "read_diversion_flags"
    IMPORT_LOBBYING = "import_lobbying"
    READ_LOBBYING = "read_lobbying"
    REVERSE_SHIPMENT = "reverse_shipment"
    REQUEST_REVERSAL = "request_reversal"
    READ_ASSESSMENT = "read_assessment"
    MANAGE_ACCOUNTS = "manage_accounts"
    INVITE_USERS = "invite_users"
    READ_ACCOUNTS = "read_accounts"


R = Role
# The rules, in one place. Exporters are further limited to their own organisation's records
# (see ``OWN_RECORDS_ONLY``). EIPA s.10 gives the power to amend, suspend, reinstate or cancel to
# the Minister; the director holds it by delegation.
PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.READ_REFERENCE: frozenset(Role),
    Action.MANAGE_REFERENCE: frozenset({R.OFFICER, R.DIRECTOR}),
    Action.READ_PARTIES: frozenset(
        {R.EXPORTER, R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.CUSTOMS, R.AUDITOR}
    ),
    Action.MANAGE_PARTIES: frozenset({R.EXPORTER, R.OFFICER}),
    Action.READ_APPLICATIONS: frozenset(
        {R.EXPORTER, R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.AUDITOR}
    ),
    Action.DRAFT_APPLICATION: frozenset({R.EXPORTER, R.OFFICER}),
    Action.SUBMIT_APPLICATION: frozenset({R.EXPORTER, R.OFFICER}),
    Action.WITHDRAW_APPLICATION: frozenset({R.EXPORTER, R.OFFICER}),
    Action.REVIEW_APPLICATION: frozenset({R.OFFICER}),
    Action.ASSESS_APPLICATION: frozenset({R.OFFICER}),
    Action.GIVE_ADVICE: frozenset({R.ADVISOR}),
    Action.DECIDE_APPLICATION: frozenset({R.DIRECTOR, R.MINISTER}),
    Action.READ_PERMITS: frozenset(
        {R.EXPORTER, R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.CUSTOMS, R.AUDITOR}
    ),
    # Whoever holds a permit document may check it is still in force (the code printed on it is the
    # key; only number, version, state and dates are answered: domain/verification.py).
    Action.VERIFY_PERMIT: frozenset(Role),
    Action.ISSUE_PERMIT: frozenset({R.OFFICER, R.DIRECTOR}),
    Action.ALTER_PERMIT: frozenset({R.DIRECTOR, R.MINISTER}),
    Action.EXPIRE_PERMITS: frozenset({R.OFFICER, R.DIRECTOR}),
    Action.RECORD_SHIPMENT: frozenset({R.EXPORTER, R.CUSTOMS, R.OFFICER}),
    # EPR s.5-6: the border asks; exporters may ask about their own permits before shipping.
    Action.CHECK_AUTHORISATION: frozenset({R.EXPORTER, R.CUSTOMS, R.OFFICER, R.DIRECTOR, R.MINISTER}),
    # The record of the border's checks: whoever may ask reads back what was asked (exporters their
    # own organisation's only), and auditors read it all to audit the border without asking.
    Action.READ_CHECKS: frozenset({R.EXPORTER, R.CUSTOMS, R.OFFICER, R.DIRECTOR, R.MINISTER, R.AUDITOR}),
    Action.READ_POLICIES: frozenset(Role),
    Action.MANAGE_POLICIES: frozenset({R.DIRECTOR, R.MINISTER}),
    Action.READ_AUDIT: frozenset({R.AUDITOR, R.DIRECTOR, R.MINISTER}),
    # Every figure of the transparency reports, unrounded and with the records behind each cell.
    Action.READ_REPORTS: frozenset({R.OFFICER, R.DIRECTOR, R.MINISTER, R.AUDITOR}),
    # Denied-party screening (issue 5): officers screen and review; the director imports lists
    # and reviews too. Hits are internal findings about named parties: never shown to exporters.
    Action.IMPORT_LIST: frozenset({R.OFFICER, R.DIRECTOR}),
    Action.SCREEN_PARTY: frozenset({R.OFFICER}),
    Action.RECORD_SCREENING_DISPOSITION: frozenset({R.OFFICER, R.DIRECTOR}),
    Action.READ_SCREENING: frozenset({R.OFFICER, R.DIRECTOR, R.MINISTER, R.AUDITOR}),
    # Allegations and investigations (issue 14; ATT Art. 11(4)). Anyone, with or without an
    # account, may file an allegation; officers record and triage them and investigate.
    # Investigations are internal: the public is told only that its own submission was received.
    Action.SUBMIT_ALLEGATION: frozenset(Role),
    Action.RECORD_ALLEGATION: frozenset({R.OFFICER, R.DIRECTOR, R.CUSTOMS}),
    Action.TRIAGE_ALLEGATION: frozenset({R.OFFICER, R.DIRECTOR}),
    Action.INVESTIGATE: frozenset({R.OFFICER, R.DIRECTOR}),
    Action.READ_INVESTIGATIONS: frozenset({R.OFFICER, R.DIRECTOR, R.MINISTER, R.AUDITOR}),
    # End-use assurances (EPR s.3(2)(h)) and post-shipment verification (ATT Art. 11(2)).
    Action.RECORD_ASSURANCE: frozenset({R.OFFICER, R.DIRECTOR}),
    Action.READ_ASSURANCES: frozenset({R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.AUDITOR}),
    Action.VERIFY_END_USE: frozenset({R.OFFICER, R.DIRECTOR}),
    # A diversion flag is an internal finding about named parties: shown to officials (customs at
    # the border included), never to exporters or the public.
    Action.READ_DIVERSION_FLAGS: frozenset(
        {R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.CUSTOMS, R.AUDITOR}
    ),
    Action.IMPORT_LOBBYING: frozenset({R.OFFICER, R.DIRECTOR}),
    Action.READ_LOBBYING: frozenset({R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.AUDITOR}),
    # Separation of duties (issue 10): a recorded export is reversed by customs, who recorded it, or
    # by an officer on the exporter's request, never by the exporter itself.
    Action.REVERSE_SHIPMENT: frozenset({R.CUSTOMS, R.OFFICER}),
    # The exporter asks for the reversal of its own recorded export; an official approves it.
    Action.REQUEST_REVERSAL: frozenset({R.EXPORTER}),
    # The EIPA s.7.3 assessment, departmental advice and an exception's justification are the
    # government's internal deliberation; the applicant is told the decision and its reasons.
    Action.READ_ASSESSMENT: frozenset({R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.AUDITOR}),
    # Accounts (issue 10): administrators create, suspend and re-enable accounts and organisations
    # and issue API tokens; an exporter's own administrator invites people of that organisation
    # (services/accounts checks the flag); auditors read who could sign in, and when.
    Action.MANAGE_ACCOUNTS: frozenset({R.ADMINISTRATOR}),
    Action.INVITE_USERS: frozenset({R.ADMINISTRATOR, R.EXPORTER}),
    Action.READ_ACCOUNTS: frozenset({R.ADMINISTRATOR, R.AUDITOR, R.EXPORTER}),
}

OWN_RECORDS_ONLY: frozenset[Role] = frozenset({Role.EXPORTER})


@dataclass(frozen=True)
class Actor:
    """The authenticated principal a command or query acts as."""

    principal: str
    role: Role
    organisation_id: int | None = None
    # An API token acts only within its scopes (a subset of what the role may do); None: the role's.
    scopes: frozenset[Action] | None = None

    @property
    def limited_to_own_records(self) -> bool:
        return self.role in OWN_RECORDS_ONLY

    def sees(self, owner_id: int | None) -> bool:
        """Whether a record held by organisation ``owner_id`` is visible to this actor: an exporter
        sees only its own organisation's records; government roles see every organisation's."""
        return not self.limited_to_own_records or (owner_id is not None and owner_id == self.organisation_id)


def may(role: Role, action: Action) -> bool:
    return role in PERMISSIONS[action]


def require(actor: Actor, action: Action) -> None:
    if not may(actor.role, action):
        said = ROLE_MAY_NOT(role=actor.role, action=action)
        raise NotPermitted(str(said), said=said)
    if actor.scopes is not None and action not in actor.scopes:
        said = TOKEN_NOT_SCOPED(action=action)
        raise NotPermitted(str(said), said=said)
