"""Who a token belongs to, remembered in process for a few seconds.

Every API request presents a bearer token, and looking its principal up costs a database round trip
that the border's check cannot afford on each request. A principal found by its token is therefore
remembered for ``ttl`` seconds (default 5), keyed by the token's SHA-256 (the token itself is never
kept). Consequences, by design:
- a token whose principal is removed or whose role changes still acts as before for at most ``ttl``
  seconds in a process that had just seen it;
- an unknown or revoked token is never remembered: each use asks the database and is refused, and a
  new principal's token works at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from exportguard.domain.access import Actor
from exportguard.services.parties.registry import actor_for_token, hash_token

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
        """The actor for ``token`` if it was looked up less than ``ttl`` seconds ago, else None."""
        found = self._known.get(hash_token(token))
        if found is None or found[0] <= self._clock():
            return None
        return found[1]

    def actor(self, session_factory: sessionmaker[Session], token: str) -> Actor:
        """The actor for ``token``, from memory or else the database (NotAuthenticated if unknown)."""
        actor = self.remembered(token)
        if actor is not None:
            return actor
        with session_factory() as session:
            actor = actor_for_token(session, token)  # raises for an unknown or revoked token
        with self._lock:
            if len(self._known) >= MOST_REMEMBERED:
                now = self._clock()
                self._known = {k: v for k, v in self._known.items() if v[0] > now}
                if len(self._known) >= MOST_REMEMBERED:
                    self._known.clear()
            self._known[hash_token(token)] = (self._clock() + self.ttl, actor)
        return actor
