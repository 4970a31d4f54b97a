"""API tokens: shown once, scoped, expiring, revocable at once, listed with their last use."""

from __future__ import annotations

import pytest

from exportguard.adapters.clock import FixedClock
from exportguard.domain.access import Action, Actor, Role, require
from exportguard.domain.accounts import OrganisationKind
from exportguard.domain.errors import InvalidInput, NotAuthenticated, NotPermitted
from exportguard.services.accounts import tokens
from exportguard.services.accounts.organisations import NewOrganisation, create_organisation
from exportguard.services.system import ExportGuard
from tests.integration.services.accounts.conftest import ADMIN, Orgs, new_account


def test_a_scoped_token_acts_within_its_scopes_until_revoked(
    eg: ExportGuard, clock: FixedClock, orgs: Orgs
) -> None:
    with eg.uow(ADMIN) as uow:
        cbsa = create_organisation(uow, NewOrganisation(kind=OrganisationKind.CUSTOMS, name="CBSA")).id
    account, _ = new_account(eg, "feed.cbsa", Role.CUSTOMS, cbsa)
    feed = tokens.NewToken(name="customs feed", scopes=[Action.CHECK_AUTHORISATION], expires_in_days=30)
    with eg.uow(ADMIN) as uow:
        issued = tokens.create_token(uow, account, feed)
    with eg.uow(ADMIN) as uow, pytest.raises(InvalidInput, match="alter_permit"):
        tokens.create_token(uow, account, tokens.NewToken(name="too much", scopes=[Action.ALTER_PERMIT]))
    with eg.read() as session:
        actor = tokens.actor_for_token(session, issued.token, clock.now())
        listed = tokens.list_tokens(session, ADMIN, account)
    require(actor, Action.CHECK_AUTHORISATION)
    with pytest.raises(NotPermitted, match="not scoped"):
        require(actor, Action.RECORD_SHIPMENT)
    assert [(t.name, t.scopes, t.last_used_at) for t in listed] == [
        ("customs feed", ["check_authorisation"], clock.now())
    ]
    assert issued.token not in repr(listed)  # shown once: never listed
    with eg.uow(ADMIN) as uow:
        tokens.revoke_token(uow, issued.details.id, "feed replaced")
    with eg.read() as session, pytest.raises(NotAuthenticated, match="revoked"):
        tokens.actor_for_token(session, issued.token, clock.now())


def test_a_token_stops_at_its_expiry(eg: ExportGuard, clock: FixedClock, orgs: Orgs) -> None:
    account, _ = new_account(eg, "erp.laurentide", Role.EXPORTER, orgs.exporter)
    with eg.uow(ADMIN) as uow:
        issued = tokens.create_token(
            uow, account, tokens.NewToken(name="ERP", scopes=[Action.READ_PERMITS], expires_in_days=1)
        )
    clock.advance(hours=23)
    with eg.read() as session:
        assert tokens.actor_for_token(session, issued.token, clock.now()).organisation_id == orgs.exporter
    clock.advance(hours=1)
    with eg.read() as session, pytest.raises(NotAuthenticated):
        tokens.actor_for_token(session, issued.token, clock.now())


def test_only_administrators_issue_tokens(eg: ExportGuard, orgs: Orgs) -> None:
    with eg.uow(Actor("officer.roy", Role.OFFICER)) as uow, pytest.raises(NotPermitted):
        tokens.create_token(uow, 1, tokens.NewToken(name="x", scopes=[Action.READ_PERMITS]))
