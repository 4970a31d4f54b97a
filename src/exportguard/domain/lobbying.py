"""Lobbying on the record: which communications concern which applications, and when they count.

A communication in the Registry of Lobbyists names its client (e.g. Baykar); it concerns an
application when the client is one of the application's parties (applicant, exporter, consignee,
end user). A decision is taken "while lobbying on it was on record" when such a communication took
place in the year before the decision, up to the decision's day.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from anyascii import anyascii

LOOKBACK = timedelta(days=365)

# Legal-form words that differ between a registry's client name and a licensing file's party name.
LEGAL_FORMS = frozenset(
    {
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "corp",
        "corporation",
        "co",
        "company",
        "as",
        "a s",
        "sa",
        "ag",
        "gmbh",
        "plc",
        "ltee",
        "ltée",
        "sanayi",
        "ve",
        "ticaret",
        "anonim",
        "sirketi",
    }
)


def name_tokens(name: str) -> tuple[str, ...]:
    """Lower-case ASCII words without punctuation or legal-form words ("Baykar A.Ş." -> ("baykar",))."""
    text = anyascii(unicodedata.normalize("NFKC", name)).lower()
    text = re.sub(r"\(.*?\)", " ", text)
    words = re.findall(r"[a-z0-9]+", text.replace(".", ""))
    return tuple(w for w in words if w not in LEGAL_FORMS)


def same_client(client: str, party: str) -> bool:
    """The client is the party when one name's words begin the other's ("Baykar" ~ "Baykar Makina")."""
    a, b = name_tokens(client), name_tokens(party)
    if not a or not b:
        return False
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return longer[: len(shorter)] == shorter


def on_record_for(decided_on: date, communicated_on: date) -> bool:
    return decided_on - LOOKBACK <= communicated_on <= decided_on
