"""The sequencer: seals committed audit events into the Merkle tree and publishes a signed checkpoint.

Writers append events without waiting on one another (services/kernel/audit_log.py). The sequencer
(a job every minute, or ``exportguard audit seal``) takes the events committed since its last run,
in id order, gives each the next leaf index, and signs the new tree's size and root. Only the
sequencer takes its lock (a PostgreSQL advisory lock): no writer ever waits for it. Ids handed out
to transactions still running are waited for as gaps (domain/id_feed.py), so an event committed
late is sealed at the next run. Before sealing, each event's hash is recomputed from its content:
an event edited between its commit and its sealing stops the sequencer (LedgerBroken).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import and_, insert, or_, select, text
from sqlalchemy.orm import Session

from exportguard.adapters.checkpoints import CheckpointFile, Signer, signed_by
from exportguard.db.models import AuditCheckpoint, AuditEvent, AuditLeaf
from exportguard.domain import id_feed
from exportguard.domain.audit import EVENT_FIELDS, ChainBreak, StoredEvent, entry_text, event_hash
from exportguard.domain.errors import Conflict, InvalidInput, Problem
from exportguard.domain.ledger import Checkpoint, Frontier, consistency_proof, inclusion_proof, root
from exportguard.settings import Settings

GAP_TTL = 3600.0  # seconds an id handed out but not yet committed is waited for
_SEAL_LOCK = 0x6175_6469_7473_6561
BATCH = 20_000


class LedgerBroken(Conflict):
    """An event's content no longer matches its hash: it was edited before it could be sealed."""

    title = "The audit log has been tampered with"


@dataclass(frozen=True)
class Ledger:
    """Where checkpoints are published and the key that signs them (outside the database)."""

    checkpoints: CheckpointFile
    key_file: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> Ledger:
        return cls(CheckpointFile(settings.checkpoint_file), settings.audit_key_file)

    def signer(self) -> Signer:
        return Signer.from_file(self.key_file)

    def public_key(self) -> bytes | None:
        """The key that verifies the checkpoints, if this host holds the signing key."""
        return self.signer().public if self.key_file.exists() else None


def last_checkpoint(session: Session) -> AuditCheckpoint | None:
    return session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)).first()


def stored(e: AuditEvent) -> StoredEvent:
    return StoredEvent.from_row({"id": e.id, **{f: getattr(e, f) for f in EVENT_FIELDS}})


def recomputed(e: AuditEvent) -> str:
    return event_hash(stored(e).hashed())


def _new_events(session: Session, mark: int, gaps: list[id_feed.Gap]) -> Iterator[AuditEvent]:
    wanted = [AuditEvent.id > mark, *(and_(AuditEvent.id > lo, AuditEvent.id < hi) for lo, hi, _ in gaps)]
    yield from session.scalars(
        select(AuditEvent).where(or_(*wanted)).order_by(AuditEvent.id).execution_options(yield_per=BATCH)
    )


def seal(session: Session, ledger: Ledger, now: datetime) -> Checkpoint | None:
    """Seal the events committed since the last run and publish the signed checkpoint; None if
    there was nothing new. Commits ``session``."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SEAL_LOCK})
    last = last_checkpoint(session)
    frontier = Frontier.load(last.size, last.frontier) if last else Frontier()
    mark = last.mark if last else 0
    gaps: list[id_feed.Gap] = [(int(a), int(b), float(c)) for a, b, c in (last.gaps if last else [])]
    seen: list[int] = []
    leaves: list[dict[str, int]] = []
    for event in _new_events(session, mark, gaps):
        if recomputed(event) != event.hash:
            raise LedgerBroken(
                f"audit event #{event.seq} (id {event.id}) does not match its hash: it was edited "
                "before it was sealed; nothing was sealed",
                [Problem("audit_events", f"event #{event.seq}")],
            )
        leaves.append({"leaf_index": frontier.size, "event_id": event.id})
        frontier.append(bytes.fromhex(event.hash))
        seen.append(event.id)
    mark, gaps = id_feed.advance(mark, gaps, seen, now.timestamp(), ttl=GAP_TTL)
    if not leaves:
        session.rollback()
        return None
    for start in range(0, len(leaves), BATCH):
        session.execute(insert(AuditLeaf), leaves[start : start + BATCH])
    checkpoint = ledger.signer().sign(Checkpoint(frontier.size, frontier.root(), now.isoformat()))
    session.add(
        AuditCheckpoint(
            size=checkpoint.size,
            root=checkpoint.root.hex(),
            timestamp=checkpoint.timestamp,
            key_id=checkpoint.key_id,
            signature=checkpoint.to_json()["signature"],
            frontier=frontier.dump(),
            mark=mark,
            gaps=[list(g) for g in gaps],
        )
    )
    session.commit()
    # Published once committed: a checkpoint the database does not hold is never published. A crash
    # in between only delays publication to the next run, whose checkpoint extends this one.
    ledger.checkpoints.publish(checkpoint)
    return checkpoint


@dataclass
class TreeCheck:
    """What walking the sealed leaves found: how many, the first break, the events not sealed yet."""

    leaves: int = 0
    first_break: ChainBreak | None = None
    unsealed: int = 0
    roots: dict[int, bytes] | None = None


def check_tree(session: Session, published: Checkpoint | None, public_key: bytes | None) -> TreeCheck:
    """Recompute every sealed event's leaf hash from its content, in leaf order, and the tree's
    root at the published checkpoint's size; compare with the checkpoint (signed outside the
    database): an edit (even with every hash recomputed), a deletion, a reordering or a truncation
    of what it covers changes that root or the number of leaves."""
    found = TreeCheck()
    if published is not None and public_key is not None and not signed_by(published, public_key):
        found.first_break = ChainBreak(
            0, None, "the published checkpoint's signature does not verify with the audit log's public key"
        )
        return found
    frontier = Frontier()
    rows = session.execute(
        select(AuditLeaf.leaf_index, AuditEvent)
        .join(AuditEvent, AuditEvent.id == AuditLeaf.event_id)
        .order_by(AuditLeaf.leaf_index)
        .execution_options(yield_per=BATCH)
    )
    for index, event in rows:
        if index != frontier.size:
            found.first_break = ChainBreak(
                event.seq, event.id, f"leaf {frontier.size} is missing (an event and its leaf were deleted)"
            )
            break
        leaf = recomputed(event)
        if leaf != event.hash:
            found.first_break = ChainBreak(
                event.seq, event.id, "its content does not match its hash (the row was edited)"
            )
            break
        frontier.append(bytes.fromhex(leaf))
        if published is not None and frontier.size == published.size and frontier.root() != published.root:
            found.first_break = ChainBreak(
                event.seq,
                event.id,
                f"the first {published.size} events no longer hash to the root signed at "
                f"{published.timestamp} (events were edited, deleted, inserted or reordered, "
                "even if their hashes were recomputed)",
            )
            break
    found.leaves = frontier.size
    if found.first_break is None and published is not None and frontier.size < published.size:
        found.first_break = ChainBreak(
            frontier.size + 1,
            None,
            f"the log holds {frontier.size} sealed events but the checkpoint signed at "
            f"{published.timestamp} covers {published.size} (events at the end were deleted)",
        )
    # Events not sealed yet (committed since the sequencer last ran): their own hashes at least.
    for event in session.scalars(
        select(AuditEvent)
        .outerjoin(AuditLeaf, AuditLeaf.event_id == AuditEvent.id)
        .where(AuditLeaf.event_id.is_(None))
        .order_by(AuditEvent.seq)
        .execution_options(yield_per=BATCH)
    ):
        found.unsealed += 1
        if found.first_break is None and recomputed(event) != event.hash:
            found.first_break = ChainBreak(
                event.seq,
                event.id,
                "its content does not match its hash (the row was edited; not sealed yet)",
            )
    return found


def leaf_hashes(session: Session, size: int) -> list[bytes]:
    """The first ``size`` leaves' hashes, recomputed from the events' content (in memory: fine for
    millions of leaves, 32 bytes each)."""
    rows = session.execute(
        select(AuditEvent)
        .join(AuditLeaf, AuditLeaf.event_id == AuditEvent.id)
        .where(AuditLeaf.leaf_index < size)
        .order_by(AuditLeaf.leaf_index)
        .execution_options(yield_per=BATCH)
    )
    return [bytes.fromhex(recomputed(e)) for e in rows.scalars()]


def inclusion(session: Session, seq: int, checkpoint: Checkpoint) -> dict[str, object]:
    """The proof that event ``seq`` is in the tree of ``checkpoint`` (RFC 9162 2.1.3)."""
    found = session.execute(
        select(AuditLeaf.leaf_index, AuditEvent).join(AuditEvent, AuditEvent.id == AuditLeaf.event_id)
        .where(AuditEvent.seq == seq)
    ).first()  # fmt: skip
    if found is None or found[0] >= checkpoint.size:
        raise NotSealed(f"event #{seq} is not in the tree of the last checkpoint", [Problem("seq", str(seq))])
    index, event = found
    leaves = leaf_hashes(session, checkpoint.size)
    return {
        "seq": seq,
        "leaf_index": index,
        "tree_size": checkpoint.size,
        "entry": canonical_entry(event),
        "leaf_hash": leaves[index].hex(),
        "proof": [p.hex() for p in inclusion_proof(index, leaves)],
        "checkpoint": checkpoint.to_json(),
    }


def consistency(session: Session, old_size: int, checkpoint: Checkpoint) -> dict[str, object]:
    """The proof that the tree's first ``old_size`` leaves are a prefix of ``checkpoint``'s tree."""
    if not 0 < old_size <= checkpoint.size:
        raise NotSealed(
            f"the old size must be between 1 and {checkpoint.size}", [Problem("old_size", str(old_size))]
        )
    leaves = leaf_hashes(session, checkpoint.size)
    return {
        "old_size": old_size,
        "old_root": root(leaves[:old_size]).hex(),
        "tree_size": checkpoint.size,
        "proof": [p.hex() for p in consistency_proof(old_size, leaves)],
        "checkpoint": checkpoint.to_json(),
    }


def canonical_entry(event: AuditEvent) -> str:
    """The exact text whose leaf hash is the event's (what an auditor hashes: SHA-256(0x00 || it))."""
    return entry_text(stored(event).hashed())


class NotSealed(InvalidInput):
    """The event or size asked about is not covered by the last checkpoint."""
