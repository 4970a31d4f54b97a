"""Who sees which recorded border checks: an exporter those asked by its own organisation's people.

Shipments and usage follow their permit (services/permits/visibility.py); a shipment is found by
its declaration id only in its exporter's namespace.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from exportguard.db.models import AuthorisationCheck, Principal, ReversalRequest, Shipment
from exportguard.domain.access import Actor
from exportguard.services.kernel.visibility import owned_by_actor


def visible_checks(actor: Actor) -> ColumnElement[bool]:
    if not actor.limited_to_own_records:
        return true()
    if actor.organisation_id is None:
        return AuthorisationCheck.principal == actor.principal
    colleagues = select(Principal.username).where(owned_by_actor(actor, Principal.organisation_id))
    return AuthorisationCheck.principal.in_(colleagues)


def visible_shipments(actor: Actor) -> ColumnElement[bool]:
    """The entries ``actor`` may find by declaration id: an exporter only its own organisation's."""
    return owned_by_actor(actor, Shipment.exporter_id)


def visible_reversal_requests(actor: Actor) -> ColumnElement[bool]:
    """Reversal requests: an exporter sees its own organisation's; officials every one."""
    return owned_by_actor(actor, ReversalRequest.exporter_id)
