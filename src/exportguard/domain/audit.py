"""The audit chain: each event carries the hash of the previous one (tamper evidence)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    """What a command records; seq, hashes and the recording time are added when it is chained."""

    command: str
    subject_type: str
    subject_id: int
    subject_ref: str
    legal_basis: str
    reason: str
    effective_date: date
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


@dataclass(frozen=True)
class ChainedEvent:
    seq: int
    recorded_at: datetime
    principal: str
    role: str
    entry: AuditEntry
    prev_hash: str
    hash: str
    # The stored (JSON-ready) before/after and their canonical text, computed once when chained.
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    before_json: str = "null"
    after_json: str = "null"


def _default(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot put {type(value).__name__} in an audit event")


def canonical(value: object) -> str:
    """Stable JSON: sorted keys, no spaces, dates and decimals as text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_default, ensure_ascii=False)


def plain(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The JSON-ready form stored in the before/after columns (and hashed)."""
    if value is None:
        return None
    loaded: dict[str, Any] = json.loads(canonical(value))
    return loaded


def event_hash(
    *,
    seq: int,
    recorded_at: datetime,
    principal: str,
    role: str,
    command: str,
    subject_type: str,
    subject_id: int,
    subject_ref: str,
    legal_basis: str,
    reason: str,
    effective_date: date,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    prev_hash: str,
) -> str:
    body = canonical(
        {
            "seq": seq,
            "recorded_at": recorded_at.isoformat(timespec="microseconds"),
            "principal": principal,
            "role": role,
            "command": command,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "subject_ref": subject_ref,
            "legal_basis": legal_basis,
            "reason": reason,
            "effective_date": effective_date.isoformat(),
            "before": before,
            "after": after,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def chain(
    entries: Iterable[AuditEntry],
    *,
    principal: str,
    role: str,
    recorded_at: datetime,
    last_seq: int,
    last_hash: str,
) -> list[ChainedEvent]:
    """Number and hash new entries after the chain's current head.

    The hashed text is exactly ``event_hash``'s (canonical JSON of the same fields, keys sorted),
    assembled from pieces: text repeated across a bulk act's events (command, reason, the same
    before/after) is encoded once, not once per event.
    """
    out: list[ChainedEvent] = []
    seq, prev = last_seq, last_hash
    text = _TextCache()
    # Sorted keys: "reason" falls between "principal" and "recorded_at".
    constant = f',"principal":{text.of(principal)},"reason":'
    when = text.of(recorded_at.isoformat(timespec="microseconds"))
    tail = f',"recorded_at":{when},"role":{text.of(role)},"seq":'
    for entry in entries:
        seq += 1
        before, before_json = text.stored(entry.before)
        after, after_json = text.stored(entry.after)
        body = "".join(
            (
                '{"after":', after_json,
                ',"before":', before_json,
                ',"command":', text.of(entry.command),
                ',"effective_date":', text.of(entry.effective_date.isoformat()),
                ',"legal_basis":', text.of(entry.legal_basis),
                ',"prev_hash":"', prev, '"',  # a hex digest: nothing to escape
                constant, text.of(entry.reason),
                tail, str(int(seq)),
                ',"subject_id":', str(int(entry.subject_id)),
                ',"subject_ref":', text.of(entry.subject_ref),
                ',"subject_type":', text.of(entry.subject_type),
                "}",
            )
        )  # fmt: skip
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        out.append(
            ChainedEvent(
                seq, recorded_at, principal, role, entry, prev, digest, before, after, before_json, after_json
            )
        )
        prev = digest
    return out


class _TextCache:
    """JSON text of strings and of before/after mappings, each distinct value encoded once."""

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        # By identity (a bulk act gives every event the same before/after objects), holding the
        # object so its id is not reused, then by canonical text.
        self._same: dict[int, tuple[Mapping[str, Any], dict[str, Any], str]] = {}
        self._mappings: dict[str, tuple[dict[str, Any], str]] = {}

    def of(self, value: str) -> str:
        found = self._strings.get(value)
        if found is not None:
            return found
        if value.isprintable() and '"' not in value and "\\" not in value:
            found = f'"{value}"'  # json.dumps(ensure_ascii=False) escapes only these
        else:
            found = canonical(value)
        if len(self._strings) < 10_000:  # command, reason, basis, dates repeat; refs do not
            self._strings[value] = found
        return found

    def stored(self, value: Mapping[str, Any] | None) -> tuple[dict[str, Any] | None, str]:
        """``plain(value)`` and its canonical text (what ``event_hash`` hashes and the row stores)."""
        if value is None:
            return None, "null"
        same = self._same.get(id(value))
        if same is not None and same[0] is value:
            return same[1], same[2]
        raw = canonical(value)
        found = self._mappings.get(raw)
        if found is None:
            loaded: dict[str, Any] = json.loads(raw)
            found = (loaded, canonical(loaded))
            if len(self._mappings) < 10_000:
                self._mappings[raw] = found
        if len(self._same) < 10_000:
            self._same[id(value)] = (value, *found)
        return found


@dataclass(frozen=True)
class StoredEvent:
    """An event as read back from storage, for verification."""

    id: int
    seq: int
    recorded_at: datetime
    principal: str
    role: str
    command: str
    subject_type: str
    subject_id: int
    subject_ref: str
    legal_basis: str
    reason: str
    effective_date: date
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        ident = f"event #{self.seq}" + (f" (id {self.event_id})" if self.event_id is not None else "")
        return f"{ident}: {self.problem}"


class ChainVerifier:
    """Feeds stored events in seq order; reports the first break (edit, deletion, reordering)."""

    def __init__(self) -> None:
        self.expected_seq = 1
        self.prev_hash = GENESIS
        self.count = 0
        self.first_break: ChainBreak | None = None

    def feed(self, event: StoredEvent) -> bool:
        """Check one event; returns False once the chain is broken."""
        if self.first_break is not None:
            return False
        if event.seq != self.expected_seq:
            missing = event.seq > self.expected_seq
            what = "an event is missing (deleted)" if missing else "events are out of order"
            problem = f"expected event #{self.expected_seq} next, found #{event.seq}: {what}"
            self.first_break = ChainBreak(self.expected_seq, event.id, problem)
            return False
        if event.prev_hash != self.prev_hash:
            self.first_break = ChainBreak(
                event.seq,
                event.id,
                "its previous-hash does not match the event before it "
                "(an event was deleted, inserted or reordered)",
            )
            return False
        digest = event_hash(
            seq=event.seq,
            recorded_at=event.recorded_at,
            principal=event.principal,
            role=event.role,
            command=event.command,
            subject_type=event.subject_type,
            subject_id=event.subject_id,
            subject_ref=event.subject_ref,
            legal_basis=event.legal_basis,
            reason=event.reason,
            effective_date=event.effective_date,
            before=event.before,
            after=event.after,
            prev_hash=event.prev_hash,
        )
        if digest != event.hash:
            self.first_break = ChainBreak(
                event.seq, event.id, "its content does not match its hash (the row was edited)"
            )
            return False
        self.expected_seq += 1
        self.prev_hash = event.hash
        self.count += 1
        return True

    def finish(self, *, head_seq: int, head_hash: str) -> ChainBreak | None:
        if self.first_break is not None:
            return self.first_break
        if head_seq != self.count or head_hash != self.prev_hash:
            return ChainBreak(
                self.count + 1,
                None,
                f"the chain head records {head_seq} events but {self.count} were found "
                "intact (events at the end were deleted)",
            )
        return None
