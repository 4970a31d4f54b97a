"""What changed between two snapshots of one list: the entries to re-screen parties against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from exportguard.domain.screening.entries import ListEntry


@dataclass(frozen=True)
class ListDiff:
    added: tuple[ListEntry, ...]
    changed: tuple[tuple[ListEntry, ListEntry], ...]
    removed: tuple[ListEntry, ...]

    @property
    def to_rescreen(self) -> tuple[ListEntry, ...]:
        """Entries that can raise new hits: added ones and the new version of changed ones."""
        return self.added + tuple(new for _, new in self.changed)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed"


def diff_entries(old: Iterable[ListEntry], new: Iterable[ListEntry]) -> ListDiff:
    """Compare by the publisher's entry id; an entry whose content differs in any way is changed.

    Order of names and countries is not a change (frozen sets and de-duplicated tuples compare
    by content), so re-publishing the same list in another order changes nothing.
    """
    before = {e.key: e for e in old}
    after = {e.key: e for e in new}
    added = tuple(after[k] for k in sorted(after.keys() - before.keys()))
    removed = tuple(before[k] for k in sorted(before.keys() - after.keys()))
    changed = tuple(
        (before[k], after[k])
        for k in sorted(before.keys() & after.keys())
        if _content(before[k]) != _content(after[k])
    )
    return ListDiff(added, changed, removed)


def _content(entry: ListEntry) -> tuple[object, ...]:
    return (
        entry.schema,
        frozenset(entry.names),
        entry.countries,
        frozenset(entry.birth_dates),
        frozenset(entry.programs),
        entry.remarks,
    )


# Issue 11: a new snapshot that removes more than this share of a list's entries (or empties it)
# is more likely a truncated download than a mass delisting: it waits for a person to confirm it.
DEFAULT_MAX_SHRINK = 0.25


def shrink_needing_confirmation(before: int, after: int, removed: int, max_share: float) -> str | None:
    """Why an import must be confirmed before it applies, or None if it may apply at once."""
    if after == 0:
        return (
            f"the new snapshot has no entries (the list has {before})"
            if before
            else "the file has no entries"
        )
    if before and removed / before > max_share:
        return f"it removes {removed} of {before} entries ({removed / before:.0%}, more than {max_share:.0%})"
    return None
