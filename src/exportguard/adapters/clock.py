"""The clock, behind a Protocol so tests can fix time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().date()


@dataclass
class FixedClock:
    """A clock that moves only when told to (tests, and replaying history in the demo)."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.date()

    def advance(self, **delta: float) -> None:
        self.current = self.current + timedelta(**delta)

    def set(self, moment: datetime) -> None:
        self.current = moment


@dataclass
class ShiftedClock:
    """Real time moved by a fixed offset: the demo's sandbox (demo --until) lives from the day after
    its date onwards, and time passes there as it does here."""

    offset: timedelta

    @classmethod
    def starting_on(cls, day: date) -> ShiftedClock:
        now = datetime.now(UTC)
        return cls(datetime.combine(day, now.timetz()) - now)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def today(self) -> date:
        return self.now().date()
