"""Who sees which organisations and accounts: an exporter its own organisation and its people;
administrators and auditors all."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from exportguard.db.models import Organisation, Principal
from exportguard.domain.access import Actor
from exportguard.services.kernel.visibility import owned_by_actor


def visible_organisations(actor: Actor) -> ColumnElement[bool]:
    return owned_by_actor(actor, Organisation.party_id)


def visible_accounts(actor: Actor) -> ColumnElement[bool]:
    return owned_by_actor(actor, Principal.organisation_id)
