"""Per-client rate limits for what the public may do without signing in (issue 11).

A small policy over the ``limits`` library's moving-window limiter, kept in process memory: every
anonymous request counts against its client's allowance for public requests, and an endpoint that
takes public submissions (a form anyone may send) adds its own, stricter allowance with
:func:`rate_limited`. Signed-in principals are not counted here: sign-in throttling and lockout
belong to the accounts (issue 10).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from fastapi import Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.exceptions import HTTPException
from starlette.types import Scope

# Generous for a person at a browser or a script reading public policy; it stops a flood.
PUBLIC_RATE = "300/minute"


class TooManyRequests(HTTPException):
    """RFC 6585 s.4: the client sent too many requests; ``Retry-After`` says when to try again."""

    def __init__(self, retry_after: int, what: str) -> None:
        super().__init__(
            429,
            f"too many {what} from this client: try again in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )


class RateLimits:
    """Allowances per (name, client), each a rate such as ``"10/minute"``."""

    def __init__(self, public: str = PUBLIC_RATE, clock: Callable[[], float] = time.time) -> None:
        self.public = parse(public)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._clock = clock

    def retry_after(self, name: str, client: str, rate: RateLimitItem) -> int | None:
        """Count one request; None if it is within the allowance, else seconds until it would be."""
        if self._limiter.hit(rate, name, client):
            return None
        reset = self._limiter.get_window_stats(rate, name, client).reset_time
        return max(1, math.ceil(reset - self._clock()))


def client_of(scope: Scope) -> str:
    """The client's address as the server saw it (a proxy in front must pass the real one on)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def limits_of(request: Request) -> RateLimits:
    found: RateLimits = request.app.state.rate_limits
    return found


def rate_limited(name: str, rate: str) -> Callable[[Request], None]:
    """A dependency for an endpoint the public may post to, e.g. ``Depends(rate_limited("allegations",
    "10/hour"))``: each client may call it ``rate`` times; the next call is answered 429."""
    parsed = parse(rate)

    def check(request: Request) -> None:
        wait = limits_of(request).retry_after(name, client_of(request.scope), parsed)
        if wait is not None:
            raise TooManyRequests(wait, f"requests to {name}")

    return check
