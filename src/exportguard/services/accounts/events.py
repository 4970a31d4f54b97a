"""The audit events of this context, recorded in the caller's unit of work (committed with it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from exportguard.domain.accounts import StatusCommand
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.services.kernel.unit_of_work import UnitOfWork

# Who may sign in to a Government of Canada system, and how, is set by this standard.
BASIS = "TBS Standard on Identity and Credential Assurance"

ACCOUNT_STATUS_EVENTS = {
    StatusCommand.SUSPEND: AuditCommand.SUSPEND_ACCOUNT,
    StatusCommand.REENABLE: AuditCommand.REENABLE_ACCOUNT,
}
ORGANISATION_STATUS_EVENTS = {
    StatusCommand.SUSPEND: AuditCommand.SUSPEND_ORGANISATION,
    StatusCommand.REENABLE: AuditCommand.REENABLE_ORGANISATION,
}


def record(
    uow: UnitOfWork,
    command: AuditCommand,
    subject: tuple[str, int, str],
    reason: str,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """``subject``: its type, id and reference (an account's username, an organisation's name)."""
    kind, subject_id, ref = subject
    uow.record(
        AuditEntry(
            command=command,
            subject_type=kind,
            subject_id=subject_id,
            subject_ref=ref[:64],
            legal_basis=BASIS,
            reason=reason,
            effective_date=uow.clock.today(),
            before=before,
            after=after,
        )
    )
