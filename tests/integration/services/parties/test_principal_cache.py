"""A token's principal is remembered for a few seconds; unknown and removed tokens are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from exportguard.db.models import Principal
from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import NotAuthenticated
from exportguard.services.parties.principal_cache import PrincipalCache
from exportguard.services.parties.registry import NewPrincipal, create_principal
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


def remove(eg: ExportGuard, username: str) -> None:
    with eg.read() as session:
        session.execute(delete(Principal).where(Principal.username == username))
        session.commit()


def test_a_known_token_is_remembered_until_the_ttl_passes(eg: ExportGuard) -> None:
    clock = Ticking()
    cache = PrincipalCache(ttl=5.0, clock=clock)
    token = customs_token(eg)
    assert cache.remembered(token) is None
    assert cache.actor(eg.session_factory, token) == Actor("customs.test", Role.CUSTOMS)
    remove(eg, "customs.test")
    clock.now += 4.9
    # Within the TTL the removal is not yet seen: the documented price of not asking each time.
    assert cache.remembered(token) == Actor("customs.test", Role.CUSTOMS)
    assert cache.actor(eg.session_factory, token).principal == "customs.test"
    clock.now += 0.2
    assert cache.remembered(token) is None
    with pytest.raises(NotAuthenticated, match="unknown or revoked token"):
        cache.actor(eg.session_factory, token)


def test_an_unknown_token_is_refused_every_time_and_never_remembered(eg: ExportGuard) -> None:
    cache = PrincipalCache(ttl=5.0, clock=Ticking())
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            cache.actor(eg.session_factory, "no-such-token")
        assert cache.remembered("no-such-token") is None


def test_a_new_principal_token_works_at_once(eg: ExportGuard) -> None:
    cache = PrincipalCache(ttl=5.0, clock=Ticking())
    with pytest.raises(NotAuthenticated):
        cache.actor(eg.session_factory, "token-late.comer")
    assert cache.actor(eg.session_factory, customs_token(eg, "late.comer")).principal == "late.comer"


def test_tokens_are_remembered_by_hash_not_in_clear(eg: ExportGuard) -> None:
    cache = PrincipalCache(ttl=5.0, clock=Ticking())
    token = customs_token(eg)
    cache.actor(eg.session_factory, token)
    assert token not in repr(vars(cache))
