"""Ministerial acts in bulk (EIPA s.10(1)): one decision over every permit a scope selects.

The scope is a conjunction of filters (destination, consignee, end user, exporter, list item or
group, product, issue-date window, or the permits named by number, as an investigation's
recommended act names exactly the permits it concerns). Which permits an act hits follows the
permit transition table: a suspension hits permits in force, a reinstatement suspended ones, a
cancellation either. A permit past its last valid day on the effective date is no longer in force
and is left alone (EIPA s.12(a)).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from exportguard.domain.audit import AuditCommand
from exportguard.domain.errors import Conflict, InvalidInput, Problem
from exportguard.domain.permits import TRANSITIONS, PermitCommand, PermitState

EIPA_10_1 = "EIPA s.10(1)"


class BulkCommand(StrEnum):
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    CANCEL = "cancel"
    AMEND_VALIDITY = "amend_validity"

    @property
    def permit_command(self) -> PermitCommand:
        return PermitCommand.AMEND if self is BulkCommand.AMEND_VALIDITY else PermitCommand(self.value)

    @property
    def audited_as(self) -> AuditCommand:
        """The ministerial decision's own event (each permit's is the permit command's)."""
        return _AUDITED_AS[self]


def states_hit(command: BulkCommand) -> tuple[PermitState, ...]:
    """The states from which the transition table allows the command (declared once, in permits)."""
    return tuple(s for (s, c) in TRANSITIONS if c is command.permit_command)


@dataclass(frozen=True)
class Scope:
    destination: str | None = None
    consignee_id: int | None = None
    end_user_id: int | None = None
    holder_id: int | None = None
    item_code: str | None = None
    item_group: int | None = None
    product_id: int | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    permits: tuple[str, ...] | None = None

    def is_empty(self) -> bool:
        return all(v is None for v in asdict(self).values())

    def describe(self) -> dict[str, Any]:
        return {
            k: (v.isoformat() if isinstance(v, date) else list(v) if isinstance(v, tuple) else v)
            for k, v in asdict(self).items()
            if v is not None
        }


def check_scope(scope: Scope) -> None:
    """A bulk act names what it covers: an empty scope would select every permit in the registry."""
    if scope.is_empty():
        raise InvalidInput.of("scope", "name at least one filter (destination, exporter, item, ...)")
    if scope.permits is not None and not scope.permits:
        raise InvalidInput.of("scope.permits", "name at least one permit, or leave the filter out")
    if scope.issued_from and scope.issued_to and scope.issued_to < scope.issued_from:
        raise InvalidInput.of("scope.issued_to", f"{scope.issued_to} is before {scope.issued_from}")


def check_amendment(command: BulkCommand, new_valid_to: date | None) -> None:
    if (command is BulkCommand.AMEND_VALIDITY) != (new_valid_to is not None):
        raise InvalidInput.of("valid_to", "an amendment of validity needs the new valid_to, and only it")


def check_not_before_history(late: Mapping[str, date], effective_date: date) -> None:
    """A change never takes effect before a permit's previous change (histories never fork)."""
    if late:
        shown = ", ".join(f"{n} ({d})" for n, d in sorted(late.items())[:10])
        raise Conflict(
            f"{len(late)} permit(s) changed after {effective_date}: {shown}",
            [Problem("effective_date", f"must be on or after {max(late.values())}")],
        )


def same_request(recorded: Mapping[str, Any], requested: Mapping[str, Any]) -> None:
    """A decision reference names one act: repeating it is a no-op, reusing it for another is refused."""
    differing = sorted(k for k in requested if recorded.get(k) != requested[k])
    if differing:
        raise Conflict(
            f"decision reference already used for a different act (differs in {', '.join(differing)})",
            [Problem("decision_ref", "already used for a different act")],
        )


_AUDITED_AS: dict[BulkCommand, AuditCommand] = {
    BulkCommand.SUSPEND: AuditCommand.BULK_SUSPEND,
    BulkCommand.REINSTATE: AuditCommand.BULK_REINSTATE,
    BulkCommand.CANCEL: AuditCommand.BULK_CANCEL,
    BulkCommand.AMEND_VALIDITY: AuditCommand.BULK_AMEND_VALIDITY,
}
