"""Who a token belongs to, remembered in process for a few seconds; whether it still works, never.

Every API request presents a bearer token. Resolving it (token, account, organisation, scopes) is
remembered for ``ttl`` seconds (default 5), keyed by the token's SHA-256 (the token itself is never
kept). Whether the token still works (not revoked, not expired, its account and organisation not
suspended) is asked of the database on every request, with one indexed look-up: a revoked token is
refused on its next request, in every process, however recently it was seen (issue 10: revocation
takes effect at once). Consequences:
- only a role change reaches a process that had just seen the token within ``ttl`` seconds;
- an unknown or revoked token is never remembered: each use asks the database and is refused, and a
  new account's token works at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from exportguard.domain.access import Actor
from exportguard.services.accounts.credentials import digest
from exportguard.services.accounts.tokens import actor_for_token, token_is_live

DEFAULT_TTL = 5.0
MOST_REMEMBERED = 10_000  # principals, not requests: only known tokens are remembered


class PrincipalCache:
    """Actors by token hash, each for ``ttl`` seconds after the database said who it was."""

    def __init__(self, ttl: float = DEFAULT_TTL, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._known: dict[str, tuple[float, Actor]] = {}
        self._lock = threading.Lock()

    def remembered(self, token: str) -> Actor | None:
        """The actor for ``token`` if it was looked up less than ``ttl`` seconds ago, else None
        (its liveness is still to be checked: ``actor`` does both)."""
        found = self._known.get(digest(token))
        if found is None or found[0] <= self._clock():
            return None
        return found[1]

    def actor(self, session_factory: sessionmaker[Session], token: str, now: datetime) -> Actor:
        """The actor for ``token`` (NotAuthenticated if unknown, revoked or expired)."""
        actor = self.remembered(token)
        with session_factory() as session:
            if actor is not None and token_is_live(session, token, now):
                return actor
            actor = actor_for_token(session, token, now)  # raises for an unknown or revoked token
        with self._lock:
            if len(self._known) >= MOST_REMEMBERED:
                cutoff = self._clock()
                self._known = {k: v for k, v in self._known.items() if v[0] > cutoff}
                if len(self._known) >= MOST_REMEMBERED:
                    self._known.clear()
            self._known[digest(token)] = (self._clock() + self.ttl, actor)
        return actor
