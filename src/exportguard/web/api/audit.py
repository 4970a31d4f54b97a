"""The audit log: its events, and verification of the hash chain and of permit states."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy.orm import Session

from exportguard.domain.access import Actor
from exportguard.services.kernel import audit, ledger
from exportguard.services.kernel.common import WIDE, Input, View
from exportguard.settings import Settings
from exportguard.web.auth import ApiActor, System

router = APIRouter(prefix="/audit", tags=["audit"])


class ChainBreakView(View):
    seq: int
    event_id: int | None
    problem: str


class MismatchView(View):
    permit_id: int
    permit_ref: str
    stored_state: str
    audited_state: str | None


class VerificationView(View):
    ok: bool
    events_checked: int
    unsealed: int
    checkpoint_size: int | None
    chain_break: ChainBreakView | None
    mismatches: list[MismatchView]
    records: list[str]  # other records (validity, lines, history, balances, shipments) disagreeing
    summary: str


def verified(session: Session, actor: Actor) -> audit.VerificationReport:
    """Verification against the last checkpoint published outside the database (settings)."""
    published = ledger.Ledger.from_settings(Settings.from_env())
    return audit.verify(
        session, actor, checkpoint=published.checkpoints.latest(), public_key=published.public_key()
    )


def verification_view(report: audit.VerificationReport) -> VerificationView:
    if report.ok:
        summary = f"The log of {report.events_checked} events is intact and permit states agree"
    elif report.chain_break is not None:
        summary = f"First broken event: {report.chain_break}"
    else:
        summary = f"{len(report.mismatches) + len(report.facts)} record(s) disagree with their audit events"
    return VerificationView(
        ok=report.ok,
        events_checked=report.events_checked,
        unsealed=report.unsealed,
        checkpoint_size=report.checkpoint.size if report.checkpoint else None,
        chain_break=ChainBreakView.model_validate(report.chain_break) if report.chain_break else None,
        mismatches=[MismatchView.model_validate(m) for m in report.mismatches],
        records=[str(m) for m in report.facts],
        summary=summary,
    )


class EventFilter(Input):
    subject_type: str | None = None
    subject_id: Annotated[int | None, WIDE] = None
    after_seq: Annotated[int, WIDE] = Field(default=0, ge=0, description="Events after this sequence number")
    limit: int = Field(default=500, ge=1, le=5000)


@router.get("/events", response_model=list[audit.AuditEventView])
def list_events(
    system: System, actor: ApiActor, f: Annotated[EventFilter, Query()]
) -> list[audit.AuditEventView]:
    with system.read() as session:
        return audit.list_events(session, actor, **f.model_dump())


@router.get("/verify", response_model=VerificationView)
def verify(system: System, actor: ApiActor) -> VerificationView:
    with system.read() as session:
        return verification_view(verified(session, actor))
