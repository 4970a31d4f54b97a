"""The words a page shows for the codes the domain keeps (states, commands, roles, grounds...).

Codes stay codes in the database, the API and the audit log; a person reads them through this
table, in the current language. tests/unit/test_i18n.py fails when a domain code has no entry.
"""

from __future__ import annotations

from exportguard.i18n import LazyText
from exportguard.i18n import lazy_gettext as _l

LABELS: dict[str, LazyText] = {
    # permit states and register statuses
    "active": _l("active"),
    "suspended": _l("suspended"),
    "cancelled": _l("cancelled"),
    "expired": _l("expired"),
    "superseded": _l("superseded"),
    "not_yet_valid": _l("not yet valid"),
    "exhausted": _l("exhausted"),
    # permit commands
    "issue": _l("issue"),
    "suspend": _l("suspend"),
    "reinstate": _l("reinstate"),
    "cancel": _l("cancel"),
    "expire": _l("expire"),
    "amend": _l("amend"),
    "amend_validity": _l("amend validity"),
    # application states and commands
    "draft": _l("draft"),
    "submitted": _l("submitted"),
    "under_review": _l("under review"),
    "approved": _l("approved"),
    "denied": _l("denied"),
    "withdrawn": _l("withdrawn"),
    "edit": _l("edit"),
    "submit": _l("submit"),
    "begin_review": _l("begin review"),
    "approve": _l("approve"),
    "deny": _l("deny"),
    "withdraw": _l("withdraw"),
    "new_version": _l("new version"),
    # parties
    "applicant": _l("applicant"),
    "exporter": _l("exporter"),
    "consignee": _l("consignee"),
    "intermediate_consignee": _l("intermediate consignee"),
    "end_user": _l("end user"),
    "broker": _l("broker"),
    "organisation": _l("organisation"),
    "person": _l("person"),
    # supporting documents
    "end_use_certificate": _l("end-use certificate"),
    "end_use_statement": _l("end-use statement"),
    "international_import_certificate": _l("International Import Certificate"),
    "contract": _l("contract"),
    "commercial_invoice": _l("commercial invoice"),
    "financial_document": _l("financial document"),
    "foreign_import_permit": _l("foreign import permit"),
    "in_transit_authorization": _l("in-transit authorization"),
    "controlled_goods_registration": _l("Controlled Goods Program registration"),
    "us_export_authorization": _l("United States export authorization"),
    "other": _l("other"),
    # EIPA s.7.3 considerations and denial grounds
    "peace_and_security": _l("peace and security"),
    "ihl": _l("international humanitarian law"),
    "ihrl": _l("international human rights law"),
    "terrorism": _l("terrorism"),
    "organized_crime": _l("transnational organized crime"),
    "gender_based_violence": _l("gender-based violence and violence against women and children"),
    "diversion": _l("diversion"),
    "sanctions": _l("sanctions"),
    "security": _l("security"),
    "destination_policy": _l("destination policy"),
    # risks, advice, recommendations
    "no_risk": _l("no risk"),
    "low": _l("low"),
    "substantial": _l("substantial"),
    "no_objection": _l("no objection"),
    "approve_with_conditions": _l("approve with conditions"),
    "object": _l("object"),
    # destination measures and determination outcomes
    "area_control": _l("Area Control List"),
    "arms_embargo": _l("arms embargo"),
    "no_new_permits": _l("no new permits"),
    "presumptive_denial": _l("presumptive denial"),
    "case_by_case": _l("case by case"),
    "lifting": _l("lifting"),
    "no_permit_required": _l("no permit required"),
    "covered_by_general_permit": _l("covered by a general export permit"),
    "proceed_to_assessment": _l("proceed to assessment"),
    "needs_exception": _l("needs an exception"),
    "prohibited": _l("prohibited"),
    # roles
    "officer": _l("officer"),
    "director": _l("director"),
    "minister": _l("minister"),
    "advisor": _l("advisor"),
    "customs": _l("customs"),
    "auditor": _l("auditor"),
    "public": _l("public"),
    # screening and border answers
    "open": _l("open"),
    "closed": _l("closed"),
    "false_positive": _l("false positive"),
    "true_match": _l("true match"),
    "authorised": _l("authorised"),
    "refused": _l("refused"),
    "bad_line": _l("bad line"),
    "conflict": _l("conflict"),
    "not_found": _l("not found"),
    "recorded": _l("recorded"),
    "already_recorded": _l("already recorded"),
    # notices to holders (the outbox)
    "pending": _l("pending"),
    "delivered": _l("delivered"),
    "failed": _l("failed"),
}


def label(value: object) -> str:
    """``not_yet_valid`` -> ``not yet valid`` (or its French); an unknown code reads as words."""
    if value is None:
        return ""
    code = str(value)
    known = LABELS.get(code)
    return str(known) if known is not None else code.replace("_", " ")
