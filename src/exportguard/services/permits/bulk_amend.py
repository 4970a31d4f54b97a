"""Amendment of validity in bulk (EIPA s.10(1)): each permit gets a new version, the old one kept.

Per permit, as in permits.amend_permit: the version in force is superseded and a new version with
the same lines and the new end of validity comes into force on the effective date. Two audit
events per permit (the superseded version and the new one), so the audit chain implies each
version's state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.orm import selectinload

from exportguard.db.models import Permit, PermitStateChange
from exportguard.domain import permits as permit_rules
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.permits import PERMIT_NUMBER, PermitCommand, PermitState
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.permits.commands import copied_lines, next_version


def amend_validity(
    uow: UnitOfWork,
    rows: Sequence[Row[int, str, int, str, int]],
    valid_to: date,
    day: date,
    *,
    reason: str,
    legal_basis: str,
) -> tuple[list[AuditEntry], list[tuple[int, str, str, int]]]:
    """Entries to chain and link rows (permit, before, after, index of its entry)."""
    session = uow.session
    ids = [r[0] for r in rows]
    permits = session.scalars(
        select(Permit).where(Permit.id.in_(ids)).options(selectinload(Permit.lines)).order_by(Permit.id)
    ).all()
    entries: list[AuditEntry] = []
    links: list[tuple[int, str, str, int]] = []
    now = uow.clock.now()
    for old in permits:
        permit_rules.next_state(
            PermitState(old.state), PermitCommand.AMEND, what=PERMIT_NUMBER(number=old.number)
        )
        permit_rules.validate_validity(old.valid_from, valid_to)
        before_state = old.state
        old.state = PermitState.SUPERSEDED.value
        new = next_version(
            old,
            issued_on=day,
            valid_from=old.valid_from,
            valid_to=valid_to,
            conditions=old.conditions,
            lines=copied_lines(old),
        )
        session.add(new)
        session.flush()
        for permit, state in ((old, PermitState.SUPERSEDED), (new, PermitState.ACTIVE)):
            session.add(
                PermitStateChange(
                    permit_id=permit.id,
                    state=state.value,
                    command=PermitCommand.AMEND.value,
                    effective_date=day,
                    recorded_at=now,
                    principal=uow.actor.principal,
                    reason=reason,
                    legal_basis=legal_basis,
                )
            )
        links.append((old.id, before_state, PermitState.SUPERSEDED.value, len(entries)))
        entries.append(
            AuditEntry(
                command=AuditCommand.AMEND_PERMIT,
                subject_type="permit",
                subject_id=old.id,
                subject_ref=f"{old.number}/v{old.version}",
                legal_basis=legal_basis,
                reason=reason,
                effective_date=day,
                before={"state": before_state, "valid_to": old.valid_to},
                after={
                    "state": PermitState.SUPERSEDED.value,
                    "superseded_by": f"{new.number}/v{new.version}",
                },
            )
        )
        entries.append(
            AuditEntry(
                command=AuditCommand.ISSUE_AMENDED_PERMIT,
                subject_type="permit",
                subject_id=new.id,
                subject_ref=f"{new.number}/v{new.version}",
                legal_basis=legal_basis,
                reason=reason,
                effective_date=day,
                before={"supersedes": f"{old.number}/v{old.version}"},
                after={"state": PermitState.ACTIVE.value, "valid_from": new.valid_from, "valid_to": valid_to},
            )
        )
    session.flush()
    return entries, links
