"""The holder asks for an amendment of a permit before it expires: a new draft version of the
application behind it (``applications.new_version``), to be changed, submitted and assessed like
any application; the permit stays as it is until an amendment is issued (EIPA s.10(1))."""

from __future__ import annotations

from exportguard.domain.access import Action
from exportguard.domain.errors import Conflict, Problem
from exportguard.domain.permits import FINAL_STATES, PermitState
from exportguard.services.applications.commands import new_version
from exportguard.services.applications.views import ApplicationView
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.permits.commands import load_permit


def request_amendment(uow: UnitOfWork, permit_id: int, *, reason: str) -> ApplicationView:
    uow.require(Action.DRAFT_APPLICATION)
    permit = load_permit(uow.session, uow.actor, permit_id)
    today = uow.clock.today()
    if PermitState(permit.state) in FINAL_STATES or permit.valid_to < today:
        raise Conflict(
            f"permit {permit.number} is {permit.state}, valid to {permit.valid_to}: "
            "it can no longer be amended",
            [Problem("permit", "only a permit that has not expired, been cancelled or replaced is amended")],
        )
    return new_version(
        uow, permit.application_id, reason=f"amendment of permit {permit.number} requested: {reason}"
    )
