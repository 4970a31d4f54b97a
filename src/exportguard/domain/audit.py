"""Audit events: what each command records, numbered and hashed as leaves of the audit log's Merkle
tree (domain/ledger.py). An event's hash covers every field of it, its sequence number included;
the sequencer later seals events into the tree, whose signed checkpoints make the log tamper-evident.
Events carry no hash of their predecessor: writers never wait on one another to append."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from exportguard.domain.ledger import leaf_hash


class AuditCommand(StrEnum):
    """Every command the audit log records, by the name stored (and hashed) in its events.

    The names are those the log has always stored, so a database's history reads and filters the
    same before and after this type existed. Lifecycle commands map to these through tables next
    to their transition tables (``domain/permits.py``, ``domain/applications.py``,
    ``domain/bulk_actions.py``): no command name is built from a string.
    """

    REGISTER_PARTY = "register_party"
    REGISTER_PRODUCT = "register_product"
    SCREEN_PARTY = "screen_party"
    RECORD_SCREENING_DISPOSITION = "record_screening_disposition"
    IMPORT_SANCTIONS_LIST = "import_sanctions_list"
    HOLD_SANCTIONS_LIST_IMPORT = "hold_sanctions_list_import"  # issue 11: shrinks too far, unconfirmed
    ADD_CUSTOM_LIST_ENTRY = "add_custom_list_entry"
    REMOVE_CUSTOM_LIST_ENTRY = "remove_custom_list_entry"
    RECORD_MEASURE = "record_measure"
    REVISE_MEASURE = "revise_measure"
    REGISTER_GENERAL_PERMIT_USE = "register_general_permit_use"
    FILE_GENERAL_PERMIT_REPORT = "file_general_permit_report"
    DRAFT_APPLICATION = "draft_application"
    EDIT_APPLICATION = "edit_application"
    SUBMIT_APPLICATION = "submit_application"
    BEGIN_REVIEW_APPLICATION = "begin_review_application"
    APPROVE_APPLICATION = "approve_application"
    DENY_APPLICATION = "deny_application"
    WITHDRAW_APPLICATION = "withdraw_application"
    NEW_APPLICATION_VERSION = "new_application_version"
    ASSESS_APPLICATION = "assess_application"
    GIVE_ADVICE = "give_advice"
    ASSIGN_CASE = "assign_case"
    REQUEST_INFORMATION = "request_information"
    ANSWER_INFORMATION_REQUEST = "answer_information_request"
    ADD_APPLICATION_FILE = "add_application_file"
    REQUEST_ADVICE = "request_advice"
    ISSUE_PERMIT = "issue_permit"
    SUSPEND_PERMIT = "suspend_permit"
    REINSTATE_PERMIT = "reinstate_permit"
    CANCEL_PERMIT = "cancel_permit"
    EXPIRE_PERMIT = "expire_permit"
    AMEND_PERMIT = "amend_permit"
    ISSUE_AMENDED_PERMIT = "issue_amended_permit"
    SAVE_SCOPE = "save_scope"
    BULK_SUSPEND = "bulk_suspend"
    BULK_REINSTATE = "bulk_reinstate"
    BULK_CANCEL = "bulk_cancel"
    BULK_AMEND_VALIDITY = "bulk_amend_validity"
    RECORD_SHIPMENT = "record_shipment"
    REVERSE_SHIPMENT = "reverse_shipment"
    REQUEST_REVERSAL = "request_reversal"
    REFUSE_REVERSAL = "refuse_reversal"
    SUBMIT_ALLEGATION = "submit_allegation"
    RECORD_ALLEGATION = "record_allegation"
    DISMISS_ALLEGATION = "dismiss_allegation"
    OPEN_INVESTIGATION = "investigation_opened"
    ASSIGN_INVESTIGATORS = "assign_investigators"
    ASK_QUESTION = "ask_question"
    RECORD_FINDING = "record_finding"
    CONSULT = "consult"
    REQUEST_ANSWERED = "request_answered"
    REQUEST_REFUSED = "request_refused"
    CLOSE_INVESTIGATION = "close_investigation"
    RECOMMEND_ACTION = "recommend_action"
    EXECUTE_ACTION = "execute_action"
    WITHDRAW_ACTION = "withdraw_action"
    FIND_ASSURANCE_BREACHED = "find_assurance_breached"
    RECORD_ASSURANCE = "record_assurance"
    PLAN_VERIFICATION = "plan_verification"
    RECORD_VERIFICATION = "record_verification"
    ADD_EVIDENCE = "add_evidence"
    IMPORT_LOBBYING = "import_lobbying"
    # Accounts and signing in (issue 10).
    CREATE_ORGANISATION = "create_organisation"
    SUSPEND_ORGANISATION = "suspend_organisation"
    REENABLE_ORGANISATION = "reenable_organisation"
    CREATE_ACCOUNT = "create_account"
    INVITE_USER = "invite_user"
    SUSPEND_ACCOUNT = "suspend_account"
    REENABLE_ACCOUNT = "reenable_account"
    RESET_CREDENTIALS = "reset_credentials"
    LINK_IDENTITY = "link_identity"
    CREATE_API_TOKEN = "create_api_token"  # noqa: S105 - an event name, not a secret
    REVOKE_API_TOKEN = "revoke_api_token"  # noqa: S105 - an event name, not a secret
    SIGN_IN = "sign_in"
    SIGN_IN_PASSWORD = "sign_in_password"  # noqa: S105 - an event name, not a secret
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_REFUSED = "sign_in_refused"
    LOCK_ACCOUNT = "lock_account"
    SIGN_OUT = "sign_out"
    CHANGE_PASSWORD = "change_password"  # noqa: S105 - an event name, not a secret
    ENROL_SECOND_FACTOR = "enrol_second_factor"


@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    """What a command records; seq, hashes and the recording time are added when it is chained."""

    command: AuditCommand
    subject_type: str
    subject_id: int
    subject_ref: str
    legal_basis: str
    reason: str
    effective_date: date
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


# The field lists, declared once: an entry's fields, then a stored event's columns in order (the
# order COPY writes them). The hash covers every column but the hash itself.
ENTRY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(AuditEntry))
EVENT_FIELDS: tuple[str, ...] = (
    "seq",
    "recorded_at",
    "principal",
    "role",
    *ENTRY_FIELDS,
    "hash",
)
HASHED_FIELDS: tuple[str, ...] = EVENT_FIELDS[:-1]


@dataclass(frozen=True)
class ChainedEvent:
    seq: int
    recorded_at: datetime
    principal: str
    role: str
    entry: AuditEntry
    hash: str
    # The stored (JSON-ready) before/after and their canonical text, computed once when chained.
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    before_json: str = "null"
    after_json: str = "null"

    def row(self, *, json_text: bool = False) -> tuple[Any, ...]:
        """The stored event's values in ``EVENT_FIELDS`` order; before/after as their canonical
        JSON text with ``json_text`` (what COPY writes), else as JSON-ready mappings."""
        values: dict[str, Any] = {f: getattr(self.entry, f) for f in ENTRY_FIELDS}
        values.update(seq=self.seq, recorded_at=self.recorded_at, principal=self.principal, role=self.role)
        values.update(hash=self.hash)
        if json_text:
            values["before"] = None if self.before is None else self.before_json
            values["after"] = None if self.after is None else self.after_json
        else:
            values["before"], values["after"] = self.before, self.after
        return tuple(values[f] for f in EVENT_FIELDS)


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


def event_hash(values: Mapping[str, Any]) -> str:
    """The event's leaf hash (RFC 9162: SHA-256 of 0x00 and the entry) over its canonical JSON:
    every field of ``HASHED_FIELDS``, keys sorted."""
    return leaf_hash(entry_text(values).encode("utf-8")).hex()


def entry_text(values: Mapping[str, Any]) -> str:
    """The exact text an event's leaf hash covers (what an outside auditor hashes)."""
    if values.keys() != set(HASHED_FIELDS):
        raise ValueError(f"an audit event hashes exactly {sorted(HASHED_FIELDS)}, got {sorted(values)}")
    return canonical(
        {
            **values,
            "recorded_at": values["recorded_at"].isoformat(timespec="microseconds"),
            "effective_date": values["effective_date"].isoformat(),
        }
    )


def chain(
    entries: Iterable[AuditEntry],
    *,
    principal: str,
    role: str,
    recorded_at: datetime,
    first_seq: int,
) -> list[ChainedEvent]:
    """Number new entries from ``first_seq`` and hash each (its leaf hash in the audit tree).

    The hashed text is exactly ``event_hash``'s (canonical JSON of the same fields, keys sorted),
    assembled from pieces: text repeated across a bulk act's events (command, reason, the same
    before/after) is encoded once, not once per event.
    """
    out: list[ChainedEvent] = []
    seq = first_seq - 1
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
                constant, text.of(entry.reason),
                tail, str(int(seq)),
                ',"subject_id":', str(int(entry.subject_id)),
                ',"subject_ref":', text.of(entry.subject_ref),
                ',"subject_type":', text.of(entry.subject_type),
                "}",
            )
        )  # fmt: skip
        digest = leaf_hash(body.encode("utf-8")).hex()
        out.append(
            ChainedEvent(
                seq, recorded_at, principal, role, entry, digest, before, after, before_json, after_json
            )
        )
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
    hash: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> StoredEvent:
        """From a stored row (or any mapping holding ``id`` and every ``EVENT_FIELDS`` value)."""
        return cls(id=row["id"], **{f: row[f] for f in EVENT_FIELDS})

    def hashed(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in HASHED_FIELDS}


@dataclass(frozen=True)
class ChainBreak:
    """The first place the stored log disagrees with itself or with its last signed checkpoint."""

    seq: int
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        ident = f"event #{self.seq}" + (f" (id {self.event_id})" if self.event_id is not None else "")
        return f"{ident}: {self.problem}"
