"""Who sees which applications: the applicant organisation its own, government roles all."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from exportguard.db.models import Application
from exportguard.domain.access import Actor
from exportguard.services.kernel.visibility import owned_by_actor


def visible_applications(actor: Actor) -> ColumnElement[bool]:
    return owned_by_actor(actor, Application.organisation_id)
