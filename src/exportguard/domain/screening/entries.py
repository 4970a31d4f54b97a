"""What a sanctions list says about one listed party, in one shape whatever the publisher's format.

Parsers in ``adapters/sanctions_lists`` turn each official format into :class:`ListEntry`; the
matcher, the index and the snapshot diff only ever see this type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Schema(StrEnum):
    """What kind of party an entry or a query names (FollowTheMoney's coarse schemata)."""

    PERSON = "person"
    ORGANISATION = "organisation"
    VESSEL = "vessel"
    UNKNOWN = "unknown"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date of birth as lists give it: often only a year, sometimes a year and a month.

    ``month`` and ``day`` are None when the list does not say; two partial dates are compatible
    when every part both know agrees.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    @classmethod
    def parse(cls, text: str) -> PartialDate | None:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; None when it is none of those."""
        parts = text.strip().split("-")
        if not parts or not all(p.isascii() and p.isdigit() for p in parts) or len(parts) > 3:
            return None
        numbers = [int(p) for p in parts]
        if not 1000 <= numbers[0] <= 2999:
            return None
        month = numbers[1] if len(numbers) > 1 and 1 <= numbers[1] <= 12 else None
        day = numbers[2] if len(numbers) > 2 and month is not None and 1 <= numbers[2] <= 31 else None
        return cls(numbers[0], month, day)


@dataclass(frozen=True)
class ListEntry:
    """One listed party. ``entry_id`` is the publisher's own identifier, stable across releases.

    ``names[0]`` is the primary name; the rest are aliases, including names in their original
    script (Arabic, Cyrillic, ...). ``countries`` are ISO 3166 alpha-2 codes (nationality,
    citizenship, address or registration: any country the list ties the party to).
    """

    source: str
    entry_id: str
    schema: Schema
    names: tuple[str, ...]
    countries: frozenset[str] = frozenset()
    birth_dates: tuple[PartialDate, ...] = ()
    programs: tuple[str, ...] = ()
    remarks: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """Identity across snapshots of the same list."""
        return (self.source, self.entry_id)

    @property
    def primary_name(self) -> str:
        return self.names[0] if self.names else ""


@dataclass(frozen=True)
class PartyQuery:
    """A party to screen: a name, and what else is known about it (each optional)."""

    name: str
    schema: Schema = Schema.UNKNOWN
    countries: frozenset[str] = frozenset()
    birth_date: PartialDate | None = None
    reference: str = field(default="", compare=False)
