"""Ministerial acts in bulk (EIPA s.10(1)): one decision, one audit event per permit, all or nothing.

Execution selects exactly what the preview shows (bulk_scope), writes one decision record, one
state change and one chained audit event per permit, and one notice per holder in the outbox, all
in one transaction. Suspend, reinstate and cancel are set-based (INSERT ... SELECT, one UPDATE,
audit rows copied in one stream); an amendment of validity issues a new version of each permit.
The decision reference is the idempotency key: executing it again returns the first result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from pydantic import Field
from sqlalchemy import Date, func, insert, literal, select, text, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from exportguard.db.models import (
    MinisterialDecision,
    MinisterialDecisionPermit,
    Notice,
    Permit,
    PermitStateChange,
    SavedScope,
)
from exportguard.db.models.base import UTCDateTime
from exportguard.domain import bulk_actions as rules
from exportguard.domain import duties
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.bulk_actions import EIPA_10_1, BulkCommand
from exportguard.domain.errors import Conflict, NotFound, Problem
from exportguard.domain.permits import AUDITED_AS, PERMIT_NUMBER, PermitState, next_state
from exportguard.services.kernel import audit_log
from exportguard.services.kernel.bulk_writes import write_rows
from exportguard.services.kernel.common import Input, NonEmpty, View
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.permits import bulk_amend, notices
from exportguard.services.permits.bulk_scope import (
    Preview,
    SavedScopeInput,
    ScopeInput,
    check_selects_something,
    late_changes,
    predicate,
    preview,
    resolve_scope,
)
from exportguard.services.permits.visibility import visible_permits

__all__ = ["BulkActInput", "BulkResult", "Preview", "SavedScopeInput", "execute", "preview_act", "save_scope"]

LINK_COLUMNS = ("decision_id", "permit_id", "before_state", "after_state", "audit_seq")


class BulkActInput(Input):
    command: BulkCommand
    scope: ScopeInput | None = None
    scope_name: str | None = Field(default=None, description="A saved scope instead of filters")
    reason: NonEmpty = Field(description="Why the act is taken; sent to every holder")
    legal_basis: NonEmpty = EIPA_10_1
    effective_date: date | None = Field(default=None, description="Past or future; default today")
    valid_to: date | None = Field(default=None, description="New end of validity (amend_validity only)")
    decision_ref: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{1,63}$", description="Idempotency key; required"
    )


class BulkResult(View):
    decision_ref: str
    command: str
    scope: dict[str, object]
    effective_date: date
    decided_by: str
    permit_count: int
    permits: list[str]
    first_seq: int | None
    last_seq: int | None
    notices: int
    repeated: bool = False


def preview_act(session: Session, actor: Actor, data: BulkActInput, today: date) -> Preview:
    require(actor, Action.ALTER_PERMIT)
    scope, name = resolve_scope(session, data.scope, data.scope_name)
    rules.check_amendment(data.command, data.valid_to)
    day = data.effective_date or today
    return preview(session, actor, data.command, scope, day, scope_name=name, today=today)


def _request(data: BulkActInput, scope: dict[str, object], day: date) -> dict[str, object]:
    return {
        "command": data.command.value,
        "scope": scope,
        "effective_date": day,
        "reason": data.reason,
        "legal_basis": data.legal_basis,
        "new_valid_to": data.valid_to,
    }


def result_of(
    session: Session, decision: MinisterialDecision, *, repeated: bool, actor: Actor | None = None
) -> BulkResult:
    """The act and its permits; for ``actor`` only the permits it may see (an exporter its own)."""
    stmt = (
        select(Permit.number, Permit.version)
        .join(MinisterialDecisionPermit, MinisterialDecisionPermit.permit_id == Permit.id)
        .where(MinisterialDecisionPermit.decision_id == decision.id)
        .order_by(Permit.number)
    )
    if actor is not None:
        stmt = stmt.where(visible_permits(actor))
    numbers = session.execute(stmt).all()
    count = session.scalar(select(func.count(Notice.id)).where(Notice.decision_id == decision.id)) or 0
    return BulkResult(
        decision_ref=decision.reference,
        command=decision.command,
        scope=decision.scope,
        effective_date=decision.effective_date,
        decided_by=decision.decided_by,
        permit_count=decision.permit_count,
        permits=[f"{n}/v{v}" for n, v in numbers],
        first_seq=decision.first_seq,
        last_seq=decision.last_seq,
        notices=count,
        repeated=repeated,
    )


def execute(uow: UnitOfWork, data: BulkActInput) -> BulkResult:
    """Execute the act over its scope: every permit or none, once per decision reference."""
    uow.require(Action.ALTER_PERMIT)
    if data.decision_ref is None:
        raise Conflict("executing an act needs its decision reference", [Problem("decision_ref", "required")])
    session = uow.session
    queue_behind_same_reference(session, data.decision_ref)
    rules.check_amendment(data.command, data.valid_to)
    scope, name = resolve_scope(session, data.scope, data.scope_name)
    if name is not None:
        # Separation of duties (issue 10): whoever prepared the act's scope does not take the act.
        prepared_by = session.scalar(select(SavedScope.created_by).where(SavedScope.name == name))
        duties.check_not_prepared_by(prepared_by or "", uow.actor.principal, what=f"the act on scope {name}")
    day = data.effective_date or uow.clock.today()
    requested = _request(data, scope.describe(), day)
    done = session.scalar(
        select(MinisterialDecision).where(MinisterialDecision.reference == data.decision_ref)
    )
    if done is not None:
        recorded = {**requested, **_request_of(done)}
        rules.same_request(recorded, requested)
        return result_of(session, done, repeated=True)
    rows = session.execute(
        select(Permit.id, Permit.number, Permit.version, Permit.state, Permit.holder_id)
        .where(*predicate(scope, data.command, day))
        .order_by(Permit.id)
        .with_for_update()
    ).all()
    check_selects_something(len(rows))
    rules.check_not_before_history(late_changes(session, scope, data.command, day), day)
    decision = MinisterialDecision(
        reference=data.decision_ref,
        command=data.command.value,
        scope=scope.describe(),
        scope_name=name,
        reason=data.reason,
        legal_basis=data.legal_basis,
        effective_date=day,
        new_valid_to=data.valid_to,
        decided_by=uow.actor.principal,
        decided_by_role=uow.actor.role.value,
        recorded_at=uow.clock.now(),
        permit_count=len(rows),
    )
    session.add(decision)
    session.flush()
    head = AuditEntry(
        command=data.command.audited_as,
        subject_type="ministerial_decision",
        subject_id=decision.id,
        subject_ref=data.decision_ref,
        legal_basis=data.legal_basis,
        reason=data.reason,
        effective_date=day,
        before=None,
        after={**requested, "scope_name": name, "permit_count": len(rows)},
    )
    if data.command is BulkCommand.AMEND_VALIDITY:
        assert data.valid_to is not None  # check_amendment
        entries, links = bulk_amend.amend_validity(
            uow, rows, data.valid_to, day, reason=data.reason, legal_basis=data.legal_basis
        )
    else:
        entries, links = _change_states(data, rows, day)
    first = audit_log.append(session, [head, *entries], uow.actor, uow.clock)
    decision.first_seq, decision.last_seq = first, first + len(entries)
    write_rows(
        session,
        MinisterialDecisionPermit.__table__,  # type: ignore[arg-type]
        LINK_COLUMNS,
        ((decision.id, pid, before, after, first + 1 + n) for pid, before, after, n in links),
    )
    if data.command is not BulkCommand.AMEND_VALIDITY:
        _apply_set_based(uow, decision, data, day)
    by_holder: dict[int, list[str]] = defaultdict(list)
    for _pid, number, version, _state, holder in rows:
        by_holder[holder].append(f"{number}/v{version}")
    act = notices.ACT_DONE[data.command.value]
    change = notices.Change(act, data.decision_ref, day, data.reason, data.legal_basis)
    notices.enqueue(session, uow.clock.now(), change, by_holder, decision.id)
    uow.commit()
    return result_of(session, decision, repeated=False)


def queue_behind_same_reference(session: Session, reference: str) -> None:
    """Executions of one decision reference queue here until the first commits, so the next finds
    its decision and returns its result (the reference is the idempotency key) instead of finding
    the permits already changed or tripping the unique reference. A transaction-scoped lock on
    the reference alone: other acts and single-permit commands do not wait. SQLite needs none, its
    writers are serialised by BEGIN IMMEDIATE (db/session.py)."""
    if session.connection().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"ministerial_decision:{reference}"}
        )


def _request_of(d: MinisterialDecision) -> dict[str, object]:
    return {
        "command": d.command,
        "scope": d.scope,
        "effective_date": d.effective_date,
        "reason": d.reason,
        "legal_basis": d.legal_basis,
        "new_valid_to": d.new_valid_to,
    }


def _change_states(
    data: BulkActInput, rows: Sequence[Row[int, str, int, str, int]], day: date
) -> tuple[list[AuditEntry], list[tuple[int, str, str, int]]]:
    """One audit event per permit (EIPA s.10(1)); the transition table decides each new state."""
    command = data.command.permit_command
    event = AUDITED_AS[command]
    entries: list[AuditEntry] = []
    links: list[tuple[int, str, str, int]] = []
    # One before/after object per (state, new state), shared by the events: chained once (audit.py).
    # The table is asked once per state: the first permit in a state it refuses is the one named.
    shared: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {}
    for n, (pid, number, version, state, _holder) in enumerate(rows):
        if state not in shared:
            new = next_state(PermitState(state), command, what=PERMIT_NUMBER(number=number)).value
            shared[state] = (new, {"state": state}, {"state": new, "decision": str(data.decision_ref)})
        after, recorded_before, recorded_after = shared[state]
        entries.append(
            AuditEntry(
                command=event,
                subject_type="permit",
                subject_id=pid,
                subject_ref=f"{number}/v{version}",
                legal_basis=data.legal_basis,
                reason=data.reason,
                effective_date=day,
                before=recorded_before,
                after=recorded_after,
            )
        )
        links.append((pid, state, after, n))
    return entries, links


def _apply_set_based(uow: UnitOfWork, decision: MinisterialDecision, data: BulkActInput, day: date) -> None:
    """The state changes as two statements over the decision's permits (the link rows)."""
    link = MinisterialDecisionPermit
    chosen = select(link.permit_id).where(link.decision_id == decision.id)
    uow.session.execute(
        insert(PermitStateChange).from_select(
            [
                "permit_id",
                "state",
                "command",
                "effective_date",
                "recorded_at",
                "principal",
                "reason",
                "legal_basis",
            ],
            select(
                link.permit_id,
                link.after_state,
                literal(data.command.permit_command.value),
                literal(day, Date),
                literal(uow.clock.now(), UTCDateTime),
                literal(uow.actor.principal),
                literal(data.reason),
                literal(data.legal_basis),
            ).where(link.decision_id == decision.id),
        )
    )
    # Each permit takes the state the transition table gave it (link.after_state, decided per
    # state in _change_states): one UPDATE per distinct new state, one in practice today.
    for (after,) in uow.session.execute(
        select(link.after_state).where(link.decision_id == decision.id).distinct()
    ).all():
        uow.session.execute(
            update(Permit)
            .where(Permit.id.in_(chosen.where(link.after_state == after)))
            .values(state=after)
            .execution_options(synchronize_session=False)
        )


def save_scope(uow: UnitOfWork, data: SavedScopeInput) -> dict[str, object]:
    """Save a named combination of filters (e.g. "TR-GROUP-2") for later previews and acts."""
    uow.require(Action.ALTER_PERMIT)
    scope = data.scope.to_domain()
    rules.check_scope(scope)
    if uow.session.scalar(select(SavedScope.id).where(SavedScope.name == data.name)) is not None:
        raise Conflict(f"scope {data.name} exists", [Problem("name", "already saved")])
    row = SavedScope(
        name=data.name,
        scope=data.scope.model_dump(mode="json", exclude_none=True),
        description=data.description,
        created_by=uow.actor.principal,
        created_at=uow.clock.now(),
    )
    uow.session.add(row)
    uow.session.flush()
    uow.record(
        AuditEntry(
            command=AuditCommand.SAVE_SCOPE,
            subject_type="saved_scope",
            subject_id=row.id,
            subject_ref=data.name,
            legal_basis=EIPA_10_1,
            reason=data.description or "scope saved",
            effective_date=uow.clock.today(),
            before=None,
            after=row.scope,
        )
    )
    uow.commit()
    return {"name": row.name, "scope": row.scope}


def get_decision(session: Session, actor: Actor, reference: str) -> BulkResult:
    require(actor, Action.READ_PERMITS)
    found = session.scalar(select(MinisterialDecision).where(MinisterialDecision.reference == reference))
    if found is None:
        raise NotFound(f"no decision {reference}", [Problem("decision_ref", "not found")])
    result = result_of(session, found, repeated=False, actor=actor)
    if len(result.permits) < found.permit_count:
        # A holder reads its own permits' part of the act, never the other holders' (their numbers,
        # how many, on what scope); an act that touched none of its permits is, to it, not there.
        if not result.permits:
            raise NotFound(f"no decision {reference}", [Problem("decision_ref", "not found")])
        result = result.model_copy(
            update={
                "scope": {},
                "permit_count": len(result.permits),
                "notices": 0,
                "first_seq": None,
                "last_seq": None,
            }
        )
    return result
