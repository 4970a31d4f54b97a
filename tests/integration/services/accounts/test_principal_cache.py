"""A token's account is remembered for a few seconds; whether the token still works is asked every
time: a revoked token, or one of a suspended account, is refused on its very next request."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from exportguard.db.models import ApiToken, Principal
from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import NotAuthenticated
from exportguard.services.accounts.principal_cache import PrincipalCache
from exportguard.services.accounts.principals import NewPrincipal, create_principal
from exportguard.services.system import ExportGuard


class Ticking:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def customs_token(eg: ExportGuard, username: str = "customs.test") -> str:
    with eg.read() as session:
        data = NewPrincipal(username=username, display_name="Customs", role=Role.CUSTOMS)
        return create_principal(session, data, token=f"token-{username}")


def change(eg: ExportGuard, statement: object) -> None:
    with eg.read() as session:
        session.execute(statement)  # type: ignore[call-overload]
        session.commit()


def test_a_revoked_token_is_refused_at_once_even_when_remembered(eg: ExportGuard) -> None:
    clock = Ticking()
    cache = PrincipalCache(ttl=5.0, clock=clock)
    token = customs_token(eg)
    now = eg.clock.now()
    assert cache.remembered(token) is None
    assert cache.actor(eg.session_factory, token, now) == Actor("customs.test", Role.CUSTOMS)
    assert cache.remembered(token) == Actor("customs.test", Role.CUSTOMS)
    change(eg, update(ApiToken).values(revoked_at=now))
    clock.now += 0.1
    with pytest.raises(NotAuthenticated, match="revoked"):
        cache.actor(eg.session_factory, token, now)


def test_a_suspended_account_token_is_refused_at_once(eg: ExportGuard) -> None:
    cache = PrincipalCache(ttl=5.0, clock=Ticking())
    token = customs_token(eg)
    now = eg.clock.now()
    cache.actor(eg.session_factory, token, now)
    change(eg, update(Principal).where(Principal.username == "customs.test").values(status="suspended"))
    with pytest.raises(NotAuthenticated, match="suspended"):
        cache.actor(eg.session_factory, token, now)


def test_a_role_change_reaches_a_process_within_the_ttl(eg: ExportGuard) -> None:
    clock = Ticking()
    cache = PrincipalCache(ttl=5.0, clock=clock)
    token = customs_token(eg)
    now = eg.clock.now()
    cache.actor(eg.session_factory, token, now)
    change(eg, update(Principal).where(Principal.username == "customs.test").values(role="officer"))
    clock.now += 4.9
    # Within the TTL who the token belongs to is remembered: the documented price of the cache.
    assert cache.actor(eg.session_factory, token, now).role is Role.CUSTOMS
    clock.now += 0.2
    assert cache.actor(eg.session_factory, token, now).role is Role.OFFICER


def test_an_unknown_token_is_refused_every_time_and_never_remembered(eg: ExportGuard) -> None:
    cache = PrincipalCache(ttl=5.0, clock=Ticking())
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            cache.actor(eg.session_factory, "no-such-token", eg.clock.now())
        assert cache.remembered("no-such-token") is None


def test_a_new_principal_token_works_at_once(eg: ExportGuard) -> None:
    cache = PrincipalCache(ttl=5.0, clock=Ticking())
    with pytest.raises(NotAuthenticated):
        cache.actor(eg.session_factory, "token-late.comer", eg.clock.now())
    token = customs_token(eg, "late.comer")
    assert cache.actor(eg.session_factory, token, eg.clock.now()).principal == "late.comer"


def test_tokens_are_remembered_by_hash_not_in_clear(eg: ExportGuard) -> None:
    cache = PrincipalCache(ttl=5.0, clock=Ticking())
    token = customs_token(eg)
    cache.actor(eg.session_factory, token, eg.clock.now())
    assert token not in repr(vars(cache))
