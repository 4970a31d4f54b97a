"""The replay of a case: a clock set to each act's date, steps run in date order, lookups by key."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from exportguard.adapters.clock import FixedClock
from exportguard.db.models import Party, Permit
from exportguard.demo.case import Case
from exportguard.domain.access import Actor, Role
from exportguard.domain.accounts import needs_second_factor
from exportguard.services.accounts.principals import actor_for_username
from exportguard.services.system import ExportGuard

# The hour (UTC) at which replayed acts are recorded; each step is one second after the previous.
RECORDED_AT = time(15, 0)


# Demo mode only: every demo account signs in with this password, officials also with a code from
# a key derived from their name (``exportguard demo-code USERNAME`` prints the current code). A
# production database never has fixed credentials: its accounts are created with one-time passwords.
DEMO_PASSWORD = "export-guard-demo-2020"  # noqa: S105 - published: the demo's only


def demo_totp_secret(username: str) -> str:
    """The demo official's authenticator key (base32), the same on every load."""
    return base64.b32encode(hashlib.sha256(f"exportguard demo {username}".encode()).digest()[:20]).decode()


@dataclass(frozen=True)
class DemoPrincipal:
    username: str
    role: str
    display_name: str
    token: str
    totp_secret: str | None = None


@dataclass
class LoadReport:
    case: str
    steps_run: int = 0
    steps_skipped: int = 0
    # Steps dated after ``until`` (demo --until): left for the newcomer to perform.
    steps_later: int = 0
    until: date | None = None
    principals: list[DemoPrincipal] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.steps_run > 0


Step = tuple[date, int, Callable[[], bool]]


class Replay:
    def __init__(self, system: ExportGuard, case: Case) -> None:
        self.clock = FixedClock(datetime.combine(case.setup_date, RECORDED_AT, UTC))
        self.system = ExportGuard(system.engine, system.session_factory, self.clock)
        self.case = case
        self.steps: list[Step] = []
        self._actors: dict[str, Actor] = {}
        self._parties: dict[str, int] = {}

    def add(self, day: date, step: Callable[[], bool]) -> None:
        self.steps.append((day, len(self.steps), step))

    def run(self, until: date | None = None) -> LoadReport:
        """Run the steps in date order; with ``until``, only those dated on or before it."""
        report = LoadReport(self.case.name, until=until)
        start = datetime.combine(self.case.setup_date, RECORDED_AT, UTC)
        for n, (day, _, step) in enumerate(sorted(self.steps, key=lambda s: (s[0], s[1]))):
            if until is not None and day > until:
                report.steps_later += 1
                continue
            self.clock.set(max(start, datetime.combine(day, RECORDED_AT, UTC)) + timedelta(seconds=n))
            if step():
                report.steps_run += 1
            else:
                report.steps_skipped += 1
        report.principals = [
            DemoPrincipal(
                p.username,
                p.role.value,
                p.display_name,
                p.token,
                demo_totp_secret(p.username) if needs_second_factor(p.role) else None,
            )
            for p in self.case.principals
        ]
        return report

    def actor(self, username: str) -> Actor:
        if username not in self._actors:
            with self.system.read() as session:
                self._actors[username] = actor_for_username(session, username)
        return self._actors[username]

    def registrar(self) -> Actor:
        """The officer who registers the case's parties and products."""
        officer = next(p for p in self.case.principals if p.role is Role.OFFICER)
        return self.actor(officer.username)

    def party_id(self, key: str) -> int:
        if key not in self._parties:
            spec = next(p for p in self.case.parties if p.key == key)
            with self.system.read() as session:
                found = session.scalar(
                    select(Party.id).where(Party.name == spec.name, Party.country_code == spec.country)
                )
            if found is None:
                raise LookupError(f"party {key} is not registered")
            self._parties[key] = found
        return self._parties[key]

    def permit_id(self, number: str) -> int:
        with self.system.read() as session:
            found = session.scalars(
                select(Permit.id).where(Permit.number == number).order_by(Permit.version.desc())
            ).first()
        if found is None:
            raise LookupError(f"permit {number} is not issued")
        return found
