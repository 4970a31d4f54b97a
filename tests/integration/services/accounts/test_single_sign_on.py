"""The OIDC seam with the in-memory identity provider: linked identities sign in; others do not."""

from __future__ import annotations

from exportguard.adapters.identity import InMemoryIdentityProvider
from exportguard.domain.access import Role
from exportguard.services.accounts import sessions
from exportguard.services.accounts.sign_in import Outcome
from exportguard.services.accounts.single_sign_on import link_identity, sign_in_with_identity
from exportguard.services.system import ExportGuard
from tests.integration.services.accounts.conftest import ADMIN, Orgs, new_account

BACK = "https://exportguard.example/login/sso"


def test_a_linked_identity_signs_in_and_an_official_needs_the_providers_second_factor(
    eg: ExportGuard, orgs: Orgs
) -> None:
    idp = InMemoryIdentityProvider()
    idp.add("roy-123", "roy@international.gc.ca", multi_factor=True)
    idp.add("lee-456", "lee@international.gc.ca", multi_factor=False)
    idp.add("stranger", "x@example.com")
    for username, subject in (("officer.roy", "roy-123"), ("officer.lee", "lee-456")):
        account, _ = new_account(eg, username, Role.OFFICER, orgs.department)
        with eg.uow(ADMIN) as uow:
            link_identity(uow, account, idp.issuer, subject)

    assert "nonce=n1" in idp.authorization_url("s1", "n1", BACK)
    roy = sign_in_with_identity(eg, idp, idp.sign_in("roy-123", "n1", BACK), "n1", BACK)
    assert roy.outcome is Outcome.SIGNED_IN and roy.session_id
    live = sessions.resolve(eg, roy.session_id)
    assert live is not None and live.actor.principal == "officer.roy"

    lee = sign_in_with_identity(eg, idp, idp.sign_in("lee-456", "n2", BACK), "n2", BACK)
    assert lee.outcome is Outcome.REFUSED  # an official, and the provider used one factor only
    stranger = sign_in_with_identity(eg, idp, idp.sign_in("stranger", "n3", BACK), "n3", BACK)
    assert stranger.outcome is Outcome.REFUSED  # no account linked
    wrong_nonce = sign_in_with_identity(eg, idp, idp.sign_in("roy-123", "n4", BACK), "other", BACK)
    assert wrong_nonce.outcome is Outcome.REFUSED
