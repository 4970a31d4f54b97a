"""Who sees which applications, written once for the aggregate: the applicant organisation its own;
an advisor (another department) only the cases sent for departmental advice, or advised by them
(EIPA s.7: consulted on a case, not on every case); the licensing officials and auditors all.

``visible_applications`` is the rule for queries; ``sees_application`` the same rule for one
loaded application (refused as not found, so another's case is not revealed).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from exportguard.db.models import AdviceRecord, AdviceRequest, Application
from exportguard.domain.access import Actor, Role
from exportguard.services.kernel.visibility import owned_by_actor


def _sent_for_advice(actor: Actor, application_id: InstrumentedAttribute[int] | int) -> ColumnElement[bool]:
    requested = exists().where(AdviceRequest.application_id == application_id)
    advised = exists().where(
        AdviceRecord.application_id == application_id, AdviceRecord.advisor == actor.principal
    )
    return or_(requested, advised)


def visible_applications(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.ADVISOR:
        return _sent_for_advice(actor, Application.id)
    return owned_by_actor(actor, Application.organisation_id)


def sees_application(session: Session, actor: Actor, app: Application) -> bool:
    if actor.role is Role.ADVISOR:
        return bool(session.scalar(select(_sent_for_advice(actor, app.id))))
    return actor.sees(app.organisation_id)
