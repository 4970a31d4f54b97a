"""Failed sign-ins per client, throttled in process (ASVS 2.2.1, with the lockout per account).

A client (its address) with ``limit`` failed sign-ins or refused tokens within ``window`` seconds is
answered 429 with Retry-After until the window has passed, whatever it sends, even a right password
or token: guessing cannot go faster than ``limit`` per window. The lockout per account
(services/accounts/sign_in.py) stops slow guessing of one account from many addresses.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import Request

from exportguard.domain.errors import DomainError, Problem

DEFAULT_LIMIT = 20
DEFAULT_WINDOW = 60.0
MOST_CLIENTS = 10_000


class TooManyFailures(DomainError):
    status = 429
    title = "Too many failed sign-ins"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"too many failed sign-ins from this address: try again in {retry_after} s",
            [Problem("authorization", "throttled after repeated failures")],
        )
        self.retry_after = retry_after


class FailureThrottle:
    def __init__(
        self,
        limit: int = DEFAULT_LIMIT,
        window: float = DEFAULT_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._failures.get(client)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def check(self, client: str) -> None:
        """Raise TooManyFailures while ``client`` is over the limit."""
        now = self._clock()
        with self._lock:
            times = self._recent(client, now)
            if len(times) >= self.limit:
                raise TooManyFailures(max(1, int(times[0] + self.window - now) + 1))

    def failed(self, client: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._failures) >= MOST_CLIENTS:
                self._failures = {k: v for k, v in self._failures.items() if self._recent(k, now)}
            times = self._failures.setdefault(client, deque())
            self._recent(client, now)
            times.append(now)


def client_of(request: Request) -> str:
    # Behind a proxy, uvicorn's --proxy-headers puts the client's address here from X-Forwarded-For.
    return request.client.host if request.client else "unknown"


def throttle_of(request: Request) -> FailureThrottle:
    throttle: FailureThrottle = request.app.state.throttle
    return throttle
