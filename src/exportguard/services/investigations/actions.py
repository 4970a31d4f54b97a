"""Acts recommended on an investigation's findings, executed as ministerial acts (EIPA s.10(1)).

A recommendation names exactly the permits it concerns. Its preview and its execution go through
the bulk-act machinery (services/bulk_actions) with a scope of those permits alone, under a decision
reference derived from the recommendation, so the act, its audit events and the holders' notices
are those of any other ministerial act, and the investigation's record says what was done.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Investigation, Permit, RecommendedAction
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import AuditCommand
from exportguard.domain.bulk_actions import EIPA_10_1, BulkCommand
from exportguard.domain.errors import NotFound, Problem
from exportguard.domain.investigations import (
    ActionCommand,
    ActionKind,
    ActionState,
    InvestigationCommand,
    InvestigationState,
    check_action_permits,
    next_action_state,
    next_investigation_state,
)
from exportguard.services.investigations.commands import audit, load_investigation, step
from exportguard.services.kernel.common import Input, NonEmpty, View
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.permits import bulk_actions
from exportguard.services.permits.bulk_scope import Preview, ScopeInput

IC = InvestigationCommand


class RecommendInput(Input):
    command: ActionKind
    permits: list[NonEmpty] = Field(min_length=1, max_length=1000, description="Permit numbers concerned")
    reason: NonEmpty = Field(max_length=20000, description="The findings the act rests on")
    on: date | None = None


class ExecuteInput(Input):
    effective_date: date | None = Field(default=None, description="Default: today")
    reason: str | None = Field(default=None, description="Default: the recommendation's reason")
    decision_ref: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{1,63}$",
        description="The Minister's decision reference; default: the investigation's and the act's",
    )


class ActionView(View):
    id: int
    investigation: str
    command: str
    permits: list[str]
    reason: str
    recommended_on: date
    recommended_by: str
    state: str
    decision_ref: str | None
    done_on: date | None
    done_by: str | None


def action_view(a: RecommendedAction, inv: Investigation) -> ActionView:
    return ActionView(
        id=a.id,
        investigation=inv.reference,
        command=a.command,
        permits=list(a.permits),
        reason=a.reason,
        recommended_on=a.recommended_on,
        recommended_by=a.recommended_by,
        state=a.state,
        decision_ref=a.decision_ref,
        done_on=a.done_on,
        done_by=a.done_by,
    )


def recommend(uow: UnitOfWork, ref: str, data: RecommendInput) -> ActionView:
    uow.require(Action.INVESTIGATE)
    session = uow.session
    inv = load_investigation(session, ref, lock=True)
    step(uow, inv, IC.RECOMMEND_ACTION)
    numbers = list(dict.fromkeys(p.upper() for p in data.permits))
    known = session.scalars(select(Permit.number).where(Permit.number.in_(numbers)))
    check_action_permits(numbers, known)
    day = data.on or uow.clock.today()
    action = RecommendedAction(
        investigation_id=inv.id,
        command=data.command.value,
        permits=numbers,
        reason=data.reason,
        recommended_on=day,
        recommended_by=uow.actor.principal,
        state=ActionState.RECOMMENDED.value,
    )
    session.add(action)
    session.flush()
    audit(
        uow,
        inv,
        AuditCommand.RECOMMEND_ACTION,
        data.reason,
        day,
        after={"action": action.id, "command": action.command, "permits": numbers},
    )
    uow.commit()
    return action_view(action, inv)


def load_action(
    session: Session, inv: Investigation, action_id: int, *, lock: bool = False
) -> RecommendedAction:
    stmt = select(RecommendedAction).where(
        RecommendedAction.id == action_id, RecommendedAction.investigation_id == inv.id
    )
    found = session.scalar(stmt.with_for_update() if lock else stmt)
    if found is None:
        raise NotFound(f"no recommended act {action_id} in {inv.reference}", [Problem("action", "not found")])
    return found


def decision_reference(inv: Investigation, action: RecommendedAction) -> str:
    return f"{inv.reference}-A{action.id}"


def _bulk_input(
    inv: Investigation, action: RecommendedAction, data: ExecuteInput
) -> bulk_actions.BulkActInput:
    return bulk_actions.BulkActInput(
        command=BulkCommand(action.command),
        scope=ScopeInput(permits=list(action.permits)),
        reason=data.reason or action.reason,
        legal_basis=EIPA_10_1,
        effective_date=data.effective_date,
        decision_ref=data.decision_ref or decision_reference(inv, action),
    )


def preview(
    session: Session, actor: Actor, ref: str, action_id: int, *, data: ExecuteInput, today: date
) -> Preview:
    """What executing the recommendation would do, permit by permit, before it is signed."""
    require(actor, Action.ALTER_PERMIT)
    inv = load_investigation(session, ref)
    action = load_action(session, inv, action_id)
    return bulk_actions.preview_act(session, actor, _bulk_input(inv, action, data), today)


def execute(uow: UnitOfWork, ref: str, action_id: int, data: ExecuteInput) -> bulk_actions.BulkResult:
    """The Minister executes the recommended act (EIPA s.10(1)), in the act's own transaction."""
    uow.require(Action.ALTER_PERMIT)
    session = uow.session
    inv = load_investigation(session, ref, lock=True)
    action = load_action(session, inv, action_id, lock=True)
    step(uow, inv, IC.EXECUTE_ACTION)
    action.state = next_action_state(ActionState(action.state), ActionCommand.EXECUTE).value
    day = data.effective_date or uow.clock.today()
    bulk = _bulk_input(inv, action, data)
    action.decision_ref, action.done_on, action.done_by = bulk.decision_ref, day, uow.actor.principal
    audit(
        uow,
        inv,
        AuditCommand.EXECUTE_ACTION,
        bulk.reason,
        day,
        after={"action": action.id, "command": action.command, "decision": bulk.decision_ref},
        basis=EIPA_10_1,
    )
    # The bulk act commits the unit of work: the recommendation's new state and its event go with it.
    return bulk_actions.execute(uow, bulk)


class WithdrawInput(Input):
    reason: NonEmpty
    on: date | None = None


def withdraw(uow: UnitOfWork, ref: str, action_id: int, data: WithdrawInput) -> ActionView:
    uow.require(Action.INVESTIGATE)
    session = uow.session
    inv = load_investigation(session, ref, lock=True)
    next_investigation_state(InvestigationState(inv.state), IC.RECOMMEND_ACTION)
    action = load_action(session, inv, action_id, lock=True)
    action.state = next_action_state(ActionState(action.state), ActionCommand.WITHDRAW).value
    day = data.on or uow.clock.today()
    action.done_on, action.done_by = day, uow.actor.principal
    audit(
        uow,
        inv,
        AuditCommand.WITHDRAW_ACTION,
        data.reason,
        day,
        after={"action": action.id, "state": action.state},
    )
    uow.commit()
    return action_view(action, inv)
