"""The permit lifecycle on a real database: every (state, command) pair, history and as-of."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from exportguard.db.models import AuditEvent, Permit, PermitStateChange
from exportguard.domain.errors import Conflict, IllegalTransition, InvalidInput, NotPermitted
from exportguard.domain.permits import TRANSITIONS, PermitCommand, PermitState
from exportguard.services.kernel import audit
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.permits import queries as permit_queries
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, MINISTER, OFFICER, issued, world


def _drive_to(eg: ExportGuard, permit_id: int, state: PermitState) -> int:
    """Bring a fresh permit into ``state`` through legal commands; returns the id in that state."""
    paths = {
        PermitState.ACTIVE: [],
        PermitState.SUSPENDED: [PermitCommand.SUSPEND],
        PermitState.CANCELLED: [PermitCommand.CANCEL],
        PermitState.EXPIRED: [PermitCommand.SUSPEND, PermitCommand.CANCEL],
    }
    if state is PermitState.EXPIRED:
        with eg.uow(OFFICER) as uow:
            permits.expire_due_permits(uow, date(2021, 7, 2))
        return permit_id
    if state is PermitState.SUPERSEDED:
        with eg.uow(MINISTER) as uow:
            permits.amend_permit(
                uow,
                permit_id,
                permits.AmendInput(
                    reason="extend", valid_to=date(2021, 6, 29), effective_date=date(2020, 8, 1)
                ),
            )
        return permit_id
    for command in paths[state]:
        with eg.uow(MINISTER) as uow:
            permits.alter_permit(
                uow, permit_id, command, Act(reason="drive", effective_date=date(2020, 10, 5))
            )
    return permit_id


def _apply(eg: ExportGuard, permit_id: int, command: PermitCommand) -> None:
    with eg.uow(MINISTER) as uow:
        if command is PermitCommand.AMEND:
            permits.amend_permit(
                uow, permit_id, permits.AmendInput(reason="amend", effective_date=date(2021, 7, 3))
            )
        elif command is PermitCommand.EXPIRE:
            permit = permits.load_permit(uow.session, uow.actor, permit_id, lock=True)
            permits.change_state(uow, permit, command, Act(reason="sweep", effective_date=date(2021, 7, 3)))
            uow.commit()
        else:
            permits.alter_permit(uow, permit_id, command, Act(reason="test", effective_date=date(2021, 7, 3)))


def _snapshot(eg: ExportGuard, permit_id: int) -> tuple[str, int, int, int]:
    with eg.read() as s:
        permit = s.get(Permit, permit_id)
        assert permit is not None
        return (
            permit.state,
            s.scalar(
                select(func.count())
                .select_from(PermitStateChange)
                .where(PermitStateChange.permit_id == permit_id)
            )
            or 0,
            s.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            s.scalar(select(func.count()).select_from(Permit)) or 0,
        )


@pytest.mark.parametrize("state", list(PermitState))
@pytest.mark.parametrize("command", permits.LEGAL_BASIS.keys())
def test_every_state_command_pair(eg: ExportGuard, state: PermitState, command: PermitCommand) -> None:
    w = world(eg)
    permit_id = _drive_to(eg, issued(eg, w).id, state)
    before = _snapshot(eg, permit_id)
    assert before[0] == state.value
    if (state, command) in TRANSITIONS:
        _apply(eg, permit_id, command)
        assert _snapshot(eg, permit_id)[0] == TRANSITIONS[(state, command)].value
    else:
        with pytest.raises(IllegalTransition) as err:
            _apply(eg, permit_id, command)
        assert err.value.status == 409
        assert _snapshot(eg, permit_id) == before  # nothing changed, nothing audited


def test_suspension_is_visible_as_of_dates(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w)
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow,
            permit.id,
            PermitCommand.SUSPEND,
            Act(reason="reports of use in Nagorno-Karabakh", effective_date=date(2020, 10, 5)),
        )
    with eg.read() as s:

        def active_on(day: date) -> list[str]:
            return [
                p.number
                for p in permit_queries.list_permits(
                    s,
                    OFFICER,
                    permit_queries.PermitFilter(destination="TR", status="active", as_of=day),
                    today=date(2020, 11, 1),
                )
            ]

        assert active_on(date(2020, 10, 4)) == [permit.number]
        assert active_on(date(2020, 10, 6)) == []
        assert active_on(date(2020, 5, 14)) == []  # not yet issued
        view = permit_queries.get_permit(s, OFFICER, permit.number, as_of=date(2020, 10, 6))
        assert view.status == "suspended"
        assert [t.command for t in view.timeline] == ["issue", "suspend"]


def test_reinstated_permit_is_active_and_remembers(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w)
    for command, day in (
        (PermitCommand.SUSPEND, date(2020, 10, 5)),
        (PermitCommand.REINSTATE, date(2020, 12, 1)),
    ):
        with eg.uow(MINISTER) as uow:
            view = permits.alter_permit(uow, permit.id, command, Act(reason="review", effective_date=day))
    assert view.state == "active"
    assert [t.command for t in view.timeline] == ["issue", "suspend", "reinstate"]


def test_backdating_before_the_last_change_is_refused(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w)
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.SUSPEND, Act(reason="r", effective_date=date(2020, 10, 5))
        )
    with pytest.raises(Conflict, match="before the permit's last change"), eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.CANCEL, Act(reason="r", effective_date=date(2020, 10, 1))
        )


def test_only_the_minister_or_director_alters_permits(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w)
    for actor in (OFFICER, AUDITOR, w.exporter_actor()):
        with pytest.raises(NotPermitted), eg.uow(actor) as uow:
            permits.alter_permit(uow, permit.id, PermitCommand.SUSPEND, Act(reason="no"))


def test_expiry_sweep_is_idempotent(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w)
    with eg.uow(OFFICER) as uow:
        assert permits.expire_due_permits(uow, date(2021, 7, 1)) == [f"{permit.number}/v1"]
    with eg.uow(OFFICER) as uow:
        assert permits.expire_due_permits(uow, date(2021, 7, 1)) == []
    with eg.read() as s:
        history = permits.history_of(s, permit.id)
    assert [(h.command.value, h.effective_date) for h in history] == [
        ("issue", date(2020, 5, 15)),
        ("expire", date(2021, 7, 1)),
    ]


def test_amendment_keeps_the_old_version(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w, quantity=4)
    with eg.uow(MINISTER) as uow:
        new = permits.amend_permit(
            uow,
            permit.id,
            permits.AmendInput(
                reason="extend validity", valid_to=date(2021, 12, 31), effective_date=date(2020, 8, 1)
            ),
        )
    assert (new.number, new.version, new.valid_to, new.supersedes_id) == (
        permit.number,
        2,
        date(2021, 12, 31),
        permit.id,
    )
    with eg.read() as s:
        old = permit_queries.get_permit(s, OFFICER, permit.id)
        assert old.state == "superseded"
        on_july = permit_queries.list_permits(
            s, OFFICER, permit_queries.PermitFilter(as_of=date(2020, 7, 1)), today=date(2020, 9, 1)
        )
        assert [(p.number, p.version) for p in on_july] == [(permit.number, 1)]


def test_audit_chain_verifies_after_the_lifecycle(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w)
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.SUSPEND, Act(reason="r", effective_date=date(2020, 10, 5))
        )
    with eg.read() as s:
        report = audit.verify(s, AUDITOR)
    assert report.ok, (report.chain_break, report.mismatches)
    assert report.events_checked >= 8


def test_unknown_destination_in_a_query_is_named(eg: ExportGuard) -> None:
    with eg.read() as s, pytest.raises(InvalidInput) as err:
        permit_queries.list_permits(
            s, OFFICER, permit_queries.PermitFilter(destination="XX"), today=date(2020, 1, 1)
        )
    assert [p.field for p in err.value.problems] == ["destination"]
