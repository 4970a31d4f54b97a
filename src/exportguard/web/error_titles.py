"""The titles a page shows for each kind of error, in the reader's language.

The API keeps the English ``title`` of RFC 9457 (clients may match it); a page translates it here.
tests/unit/test_i18n.py fails when an error type's title is missing.
"""

from __future__ import annotations

from exportguard.i18n import LazyText
from exportguard.i18n import lazy_gettext as _l

TITLES: dict[str, LazyText] = {
    t.message: t
    for t in (
        _l("Request breaks a rule"),
        _l("Invalid input"),
        _l("Not found"),
        _l("Conflict with the current state"),
        _l("Command not allowed in this state"),
        _l("Application incomplete or inconsistent"),
        _l("Substantial risk remains after mitigation (EIPA s.7.4)"),
        _l("More than was applied for or licensed"),
        _l("Not permitted for this role"),
        _l("Authentication required"),
        _l("Screening hits block the permit"),
        _l("Export not authorised (EIPA s.13)"),
        _l("The list publisher could not be reached"),
        _l("File too large"),
        _l("Malformed sanctions list file"),
        _l("Malformed JSON"),
        _l("List import held for confirmation"),
        _l("Bad request"),
        _l("Request body too large"),
        _l("Too many requests"),
        _l("Method not allowed"),
        _l("Request failed"),
        _l("Internal error"),
        _l("Database unavailable"),
        _l("The audit log has been tampered with"),
        _l("Form refused (cross-site request forgery defence)"),
        _l("Too many failed sign-ins"),
    )
}


def page_title(title: str) -> str:
    known = TITLES.get(title)
    return str(known) if known is not None else title
