"""Parties: organisations and persons that appear on applications and permits."""

from __future__ import annotations

from fastapi import APIRouter, status

from exportguard.services.parties import registry as parties
from exportguard.web.api.use_case import run
from exportguard.web.auth import ApiActor, System

router = APIRouter(tags=["parties"])


@router.get("/parties", response_model=list[parties.PartyView])
def list_parties(system: System, actor: ApiActor) -> list[parties.PartyView]:
    with system.read() as session:
        return parties.list_parties(session, actor)


@router.post("/parties", response_model=parties.PartyView, status_code=status.HTTP_201_CREATED)
def register_party(system: System, actor: ApiActor, body: parties.NewParty) -> parties.PartyView:
    return run(system, actor, parties.register_party, body)
