"""Who sees which permits and notices: a holder sees its own, government roles see all."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from exportguard.db.models import Notice, Permit
from exportguard.domain.access import Actor
from exportguard.services.kernel.visibility import owned_by_actor


def visible_permits(actor: Actor) -> ColumnElement[bool]:
    """The permits (every version) ``actor`` may see; shipments and usage follow their permit."""
    return owned_by_actor(actor, Permit.holder_id)


def visible_notices(actor: Actor) -> ColumnElement[bool]:
    return owned_by_actor(actor, Notice.holder_id)
