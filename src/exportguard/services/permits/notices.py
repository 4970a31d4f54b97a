"""Notices to permit holders: written to the outbox in the act's transaction, delivered afterwards.

Every holder whose permit an act changes gets one notice per act (listing its permits) on each of
its channels (its recorded email and/or webhook; the party's email otherwise). Delivery is retried
with exponential backoff and is idempotent: a delivered notice is never selected again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.adapters.clock import Clock
from exportguard.adapters.notifications import DeliveryFailed, NoticeMessage, NoticeSender
from exportguard.db.models import Notice, NoticeEndpoint, Party
from exportguard.domain.access import Action, Actor, require
from exportguard.services.kernel.common import View
from exportguard.services.permits.visibility import visible_notices
from exportguard.services.system import ExportGuard

# How a notice words each act: "your permit(s) ... are suspended".
ACT_DONE = {
    "suspend": "suspended",
    "reinstate": "reinstated",
    "cancel": "cancelled",
    "amend": "amended",
    "amend_validity": "amended",
}
BACKOFF_BASE = timedelta(minutes=1)
MAX_ATTEMPTS = 6


@dataclass(frozen=True)
class Change:
    """What an act did to one holder's permits, for the notice."""

    act: str
    reference: str
    effective_date: date
    reason: str
    legal_basis: str


def enqueue(
    session: Session,
    now: datetime,
    change: Change,
    by_holder: Mapping[int, list[str]],
    decision_id: int | None,
) -> int:
    """Add one notice per holder and channel to the outbox (the caller's transaction commits it)."""
    ids = list(by_holder)
    emails = dict(session.execute(select(Party.id, Party.email).where(Party.id.in_(ids))).all())
    endpoints: dict[int, list[tuple[str, str]]] = {}
    for e in session.scalars(select(NoticeEndpoint).where(NoticeEndpoint.party_id.in_(ids))):
        endpoints.setdefault(e.party_id, []).append((e.channel, e.address))
    rows = []
    for holder, numbers in sorted(by_holder.items()):
        channels = endpoints.get(holder) or [("email", emails.get(holder) or "")]
        shown = ", ".join(numbers[:20]) + (f" and {len(numbers) - 20} more" if len(numbers) > 20 else "")
        body = (
            f"Under {change.legal_basis}, your permit(s) {shown} are {change.act} effective "
            f"{change.effective_date} (decision {change.reference}).\nReason: {change.reason}"
        )
        payload: dict[str, Any] = {
            "act": change.act,
            "decision": change.reference,
            "effective_date": change.effective_date.isoformat(),
            "legal_basis": change.legal_basis,
            "reason": change.reason,
            "permits": numbers,
        }
        for channel, address in channels:
            rows.append(
                Notice(
                    key=f"{change.reference}/{holder}/{channel}",
                    holder_id=holder,
                    decision_id=decision_id,
                    channel=channel,
                    address=address,
                    subject=f"Export permits {change.act}: decision {change.reference}",
                    body=body,
                    payload=payload,
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    last_error="",
                    created_at=now,
                )
            )
    session.add_all(rows)
    return len(rows)


class NoticeView(View):
    id: int
    key: str
    holder_id: int
    channel: str
    address: str
    subject: str
    status: str
    attempts: int
    delivered_at: datetime | None
    last_error: str


def list_notices(session: Session, actor: Actor, status: str | None = None) -> list[NoticeView]:
    require(actor, Action.READ_PERMITS)
    stmt = select(Notice).order_by(Notice.id)
    if status:
        stmt = stmt.where(Notice.status == status)
    stmt = stmt.where(visible_notices(actor))
    return [NoticeView.model_validate(n) for n in session.scalars(stmt)]


class DeliveryReport(View):
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8, ... minutes after the n-th failed attempt."""
    return BACKOFF_BASE * int(2 ** max(attempts - 1, 0))


def deliver_due(
    system: ExportGuard,
    actor: Actor,
    senders: Mapping[str, NoticeSender],
    *,
    clock: Clock | None = None,
    limit: int = 500,
) -> DeliveryReport:
    """Drain the outbox: each due notice in its own unit of work (a crash affects at most one).

    Delivery records no audit event: it changes no regulated record, only the outbox row."""
    clock = clock or system.clock
    report = DeliveryReport()
    with system.read() as session:
        due = session.scalars(
            select(Notice.id)
            .where(Notice.status == "pending", Notice.next_attempt_at <= clock.now())
            .order_by(Notice.id)
            .limit(limit)
        ).all()
    for notice_id in due:
        outcome = _deliver_one(system, actor, senders, clock, notice_id)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _deliver_one(
    system: ExportGuard, actor: Actor, senders: Mapping[str, NoticeSender], clock: Clock, notice_id: int
) -> str:
    with system.uow(actor) as uow:
        # Another worker holding the row, or a notice delivered meanwhile, is left alone.
        stmt = select(Notice).where(Notice.id == notice_id).with_for_update(skip_locked=True)
        notice = uow.session.scalar(stmt)
        if notice is None or notice.status != "pending":
            return "skipped"
        sender = senders.get(notice.channel)
        try:
            if sender is None:
                raise DeliveryFailed(f"no sender configured for {notice.channel}")
            if not notice.address:
                raise DeliveryFailed(f"holder {notice.holder_id} has no {notice.channel} address on record")
            sender.send(
                NoticeMessage(notice.key, notice.address, notice.subject, notice.body, notice.payload)
            )
        except DeliveryFailed as exc:
            notice.attempts += 1
            notice.last_error = str(exc)
            if notice.attempts >= MAX_ATTEMPTS:
                notice.status = "failed"
            else:
                notice.next_attempt_at = clock.now() + backoff(notice.attempts)
            uow.commit()
            return "failed" if notice.status == "failed" else "retrying"
        notice.attempts += 1
        notice.status, notice.delivered_at, notice.last_error = "delivered", clock.now(), ""
        uow.commit()
        return "delivered"
