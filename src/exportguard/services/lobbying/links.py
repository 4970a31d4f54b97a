"""Which lobbying communications concern an application, and the decisions taken while they were on record.

A communication concerns an application when its client is one of the application's parties
(domain/lobbying.py same_client). The report answers the case's question: which applications were
decided while lobbying on them was on record, by whom, on what ground, with which communications.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Application, ApplicationParty, Decision, LobbyingCommunication, Party
from exportguard.domain.access import Action, Actor, may, require
from exportguard.domain.errors import NotFound, Problem
from exportguard.domain.lobbying import LOOKBACK, on_record_for, same_client
from exportguard.services.kernel.common import View
from exportguard.services.lobbying.records import CommunicationView, communication_view


class LinkedCommunication(CommunicationView):
    party: str  # the application's party the client is


class LobbiedDecision(View):
    application: str
    destination: str
    outcome: str
    decided_on: date
    decided_by: str
    justification: str
    policy_exception: dict[str, object] | None
    communications: list[LinkedCommunication]


def _party_names(session: Session, application_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Party.name)
            .join(ApplicationParty, ApplicationParty.party_id == Party.id)
            .where(ApplicationParty.application_id == application_id)
        )
    )


def _linked(communications: list[LobbyingCommunication], names: list[str]) -> list[LinkedCommunication]:
    out = []
    for c in communications:
        party = next((n for n in names if same_client(c.client, n)), None)
        if party is not None:
            out.append(LinkedCommunication(**communication_view(c).model_dump(), party=party))
    return out


def application_communications(
    session: Session, actor: Actor, application_id: int
) -> list[LinkedCommunication]:
    """GET /applications/{id}/lobbying: refused (403) to those who may not read lobbying records,
    never a quiet empty list (issue 10); an application that is not is 404."""
    require(actor, Action.READ_LOBBYING)
    if session.get(Application, application_id) is None:
        raise NotFound(f"no application {application_id}", [Problem("application_id", "not found")])
    return for_application(session, actor, application_id)


def for_application(session: Session, actor: Actor, application_id: int) -> list[LinkedCommunication]:
    """Communications whose client is a party to the application (empty for those who may not read
    lobbying records, so pages show them without asking first)."""
    if not may(actor.role, Action.READ_LOBBYING):
        return []
    everything = list(
        session.scalars(select(LobbyingCommunication).order_by(LobbyingCommunication.communicated_on))
    )
    return _linked(everything, _party_names(session, application_id))


def decisions_while_lobbied(
    session: Session, actor: Actor, *, destination: str | None = None
) -> list[LobbiedDecision]:
    require(actor, Action.READ_LOBBYING)
    require(actor, Action.READ_APPLICATIONS)
    everything = list(
        session.scalars(select(LobbyingCommunication).order_by(LobbyingCommunication.communicated_on))
    )
    if not everything:
        return []
    first = min(c.communicated_on for c in everything)
    stmt = (
        select(Decision, Application)
        .join(Application, Application.id == Decision.application_id)
        .where(Decision.decided_on >= first)
        .order_by(Decision.decided_on, Application.reference)
    )
    if destination:
        stmt = stmt.where(Application.destination_code == destination.upper())
    out = []
    for decision, app in session.execute(stmt):
        window = [c for c in everything if on_record_for(decision.decided_on, c.communicated_on)]
        linked = _linked(window, _party_names(session, app.id)) if window else []
        if linked:
            out.append(
                LobbiedDecision(
                    application=app.reference,
                    destination=app.destination_code,
                    outcome=decision.outcome,
                    decided_on=decision.decided_on,
                    decided_by=decision.decided_by,
                    justification=decision.justification,
                    policy_exception=decision.policy_exception,
                    communications=linked,
                )
            )
    return out


__all__ = [
    "LOOKBACK",
    "LinkedCommunication",
    "LobbiedDecision",
    "LobbiedDecisionLine",
    "application_communications",
    "decisions_while_lobbied",
    "for_application",
]


class LobbiedDecisionLine(View):
    """One row of the report for a table or CSV."""

    application: str
    outcome: str
    decided_on: date
    decided_by: str
    ground: str
    communications: str
