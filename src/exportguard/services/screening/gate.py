"""The screening gate before a permit is issued: which hits still stand against the parties."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from exportguard.db.models import ListEntryRecord, ScreeningHit
from exportguard.domain.errors import Problem, ScreeningBlocks
from exportguard.services.screening.store import latest_snapshots

# A reviewer's "false positive" clears a hit; "open" (not yet reviewed) and "true_match" block.
BLOCKING_STATUSES = ("open", "true_match")


def standing_hits(session: Session, party_ids: Iterable[int]) -> list[ScreeningHit]:
    """Open or confirmed hits whose list entry is still listed, unchanged, in the newest snapshot."""
    ids = sorted(set(party_ids))
    current = [s.id for s in latest_snapshots(session)]
    if not ids or not current:
        return []
    still_listed = exists().where(
        and_(
            ListEntryRecord.snapshot_id.in_(current),
            ListEntryRecord.entry_id == ScreeningHit.entry_id,
            ListEntryRecord.fingerprint == ScreeningHit.entry_fingerprint,
        )
    )
    return list(
        session.scalars(
            select(ScreeningHit)
            .where(
                ScreeningHit.party_id.in_(ids),
                ScreeningHit.status.in_(BLOCKING_STATUSES),
                still_listed,
            )
            .order_by(ScreeningHit.party_id, ScreeningHit.id)
        )
    )


def refusal(hits: list[ScreeningHit]) -> ScreeningBlocks:
    return ScreeningBlocks(
        f"{len(hits)} screening hit(s) must be reviewed and found false positives before issue",
        [
            Problem(
                f"parties[{h.party_id}]",
                f"{h.status.replace('_', ' ')} hit {h.id}: {h.source} {h.entry_id} "
                f"'{h.listed_name}' score {h.score:.2f}",
            )
            for h in hits
        ],
    )
