"""What a permit document and its verification page show, read under the same rules as the permit.

The document (the PDF) is read as the permit is (PERMISSIONS[READ_PERMITS]; exporters their own).
The verification page is public (PERMISSIONS[VERIFY_PERMIT]): the code printed on the document is
its only key, and it answers number, version, state and dates, nothing else (domain/verification.py).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportguard.db.models import Application, AuditEvent, ControlListItem, Country, Party, Permit
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.errors import NotFound, Problem
from exportguard.domain.permits import PermitCommand
from exportguard.domain.verification import code_matches, code_of, standing_on
from exportguard.services.kernel.common import View
from exportguard.services.parties.registry import PartyView, party_view
from exportguard.services.permits import queries as permit_queries
from exportguard.services.permits.commands import history_of
from exportguard.services.permits.views import PermitView

# The audit commands that bring a permit version into being (services/permits.py).
ISSUING_COMMANDS = ("issue_permit", "issue_amended_permit")


class Amendment(View):
    """What an amended version says of the version it replaces."""

    previous_version: int
    effective_date: date
    reason: str


class PermitDocument(View):
    permit: PermitView
    holder: PartyView
    consignee: PartyView
    end_user: PartyView | None
    countries: dict[str, str]
    item_titles: dict[str, str]
    application_reference: str
    issued_by: str
    verification_code: str
    amendment: Amendment | None = None


class Verification(View):
    """The public answer: this version's state on ``day`` and since when; nothing confidential."""

    number: str
    version: int
    status: str
    since: date | None
    day: date
    in_force: bool
    issued_on: date
    valid_from: date
    valid_to: date
    latest_version: int


def issue_event_hash(session: Session, permit_id: int) -> str | None:
    return session.scalar(
        select(AuditEvent.hash)
        .where(
            AuditEvent.subject_type == "permit",
            AuditEvent.subject_id == permit_id,
            AuditEvent.command.in_(ISSUING_COMMANDS),
        )
        .order_by(AuditEvent.seq)
        .limit(1)
    )


def permit_document(session: Session, actor: Actor, key: int | str, today: date) -> PermitDocument:
    """Everything the printed permit shows, for a reader who may read the permit."""
    view = permit_queries.get_permit(session, actor, key, today=today)
    ids = [i for i in (view.holder_id, view.consignee_id, view.end_user_id) if i]
    parties = {p.id: party_view(p) for p in session.scalars(select(Party).where(Party.id.in_(ids)))}
    codes = {view.destination, *(p.country for p in parties.values())}
    countries = dict(session.execute(select(Country.code, Country.name).where(Country.code.in_(codes))).all())
    items = dict(
        session.execute(
            select(ControlListItem.code, ControlListItem.title).where(
                ControlListItem.code.in_(view.item_codes)
            )
        ).all()
    )
    app_ref = session.execute(
        select(Application.reference, Application.version).where(Application.id == view.application_id)
    ).one()
    first = view.timeline[0] if view.timeline else None
    amendment = None
    if view.version > 1 and first is not None and first.command == PermitCommand.AMEND.value:
        amendment = Amendment(
            previous_version=view.version - 1, effective_date=first.effective_date, reason=first.reason
        )
    return PermitDocument(
        permit=view,
        holder=parties[view.holder_id],
        consignee=parties[view.consignee_id],
        end_user=parties.get(view.end_user_id) if view.end_user_id else None,
        countries=countries,
        item_titles=items,
        application_reference=f"{app_ref[0]}/v{app_ref[1]}",
        issued_by=first.principal if first else "",
        verification_code=code_of(issue_event_hash(session, view.id) or ""),
        amendment=amendment,
    )


def verify_permit(session: Session, actor: Actor, permit_id: int, code: str, today: date) -> Verification:
    """The standing today of the permit version a verification link names, if its code matches."""
    require(actor, Action.VERIFY_PERMIT)
    permit = session.get(Permit, permit_id)
    found = issue_event_hash(session, permit_id) if permit is not None else None
    if permit is None or found is None or not code_matches(found, code):
        # The same answer whether the permit or the code is wrong: a guess learns nothing.
        raise NotFound(
            "no permit matches this verification link",
            [Problem("code", "check the address against the one printed on the permit")],
        )
    standing = standing_on(
        history_of(session, permit.id), today, valid_from=permit.valid_from, valid_to=permit.valid_to
    )
    latest = session.scalar(select(func.max(Permit.version)).where(Permit.number == permit.number))
    return Verification(
        number=permit.number,
        version=permit.version,
        status=standing.status,
        since=standing.since,
        day=today,
        in_force=standing.in_force,
        issued_on=permit.issued_on,
        valid_from=permit.valid_from,
        valid_to=permit.valid_to,
        latest_version=latest or permit.version,
    )
