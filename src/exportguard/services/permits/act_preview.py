"""The preview of an act on one permit (EIPA s.10(1)): what it is today, what it will be from the
act's effective date, what the holder is told, and the shipments the act would leave unauthorised.
Read-only; the act itself is ``commands.alter_permit`` or ``commands.amend_permit``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Shipment
from exportguard.domain import permits as rules
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.errors import InvalidInput
from exportguard.domain.permits import PERMIT_NUMBER, PermitCommand, PermitState
from exportguard.services.kernel.common import View
from exportguard.services.permits import queries as permit_queries
from exportguard.services.permits.bulk_scope import PendingShipment
from exportguard.services.permits.commands import history_of
from exportguard.services.permits.views import PermitView

SINGLE_ACTS = (PermitCommand.SUSPEND, PermitCommand.REINSTATE, PermitCommand.CANCEL, PermitCommand.AMEND)


class Change(View):
    """One fact of the permit before and after the act (amendments)."""

    fact: str
    before: str
    after: str


class ActPreview(View):
    permit: PermitView
    command: str
    today: date
    effective_date: date
    status_today: str | None
    status_then: str | None
    changes: list[Change]
    pending_shipments: list[PendingShipment]


def acts_open(state: str) -> list[str]:
    """The single-permit acts the transition table allows from ``state``."""
    return [c.value for c in SINGLE_ACTS if (PermitState(state), c) in rules.TRANSITIONS]


def preview_permit_act(
    session: Session,
    actor: Actor,
    key: int | str,
    command: PermitCommand,
    today: date,
    *,
    effective_date: date | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    conditions: str | None = None,
) -> ActPreview:
    require(actor, Action.ALTER_PERMIT)
    if command not in SINGLE_ACTS:
        raise InvalidInput.of("command", f"'{command.value}' is not suspend, reinstate, cancel or amend")
    permit = permit_queries.get_permit(session, actor, key, today=today)
    day = effective_date or today
    after = rules.next_state(PermitState(permit.state), command, what=PERMIT_NUMBER(number=permit.number))
    history = history_of(session, permit.id)
    rules.check_effective_date(history, day)
    changes: list[Change] = []
    then: str | None
    if command is PermitCommand.AMEND:
        new_from, new_to = valid_from or permit.valid_from, valid_to or permit.valid_to
        rules.validate_validity(new_from, new_to)
        new_conditions = permit.conditions if conditions is None else conditions
        for fact, old, new in (
            ("valid from", permit.valid_from.isoformat(), new_from.isoformat()),
            ("valid to", permit.valid_to.isoformat(), new_to.isoformat()),
            ("conditions", permit.conditions, new_conditions),
        ):
            if old != new:
                changes.append(Change(fact=fact, before=old or "none", after=new or "none"))
        if not changes:
            raise InvalidInput.of("valid_to", "an amendment must change validity or conditions")
        # The amended version is in force from the effective date; this version is superseded.
        then = PermitState.ACTIVE.value
    else:
        future = [*history, rules.StateChange(after, command, day)]
        then = rules.status_on(future, day, valid_from=permit.valid_from, valid_to=permit.valid_to)
    pending = [
        PendingShipment(declaration_id=d, permit=f"{permit.number}/v{permit.version}", shipped_on=on)
        for d, on in session.execute(
            select(Shipment.declaration_id, Shipment.shipped_on)
            .where(Shipment.permit_id == permit.id, Shipment.shipped_on >= day)
            .order_by(Shipment.shipped_on, Shipment.declaration_id)
        )
    ]
    return ActPreview(
        permit=permit,
        command=command.value,
        today=today,
        effective_date=day,
        status_today=rules.status_on(history, today, valid_from=permit.valid_from, valid_to=permit.valid_to),
        status_then=then,
        changes=changes,
        pending_shipments=pending if command is not PermitCommand.REINSTATE else [],
    )
