"""Importing a list from uploaded files: the permission first, then parse, then store.

The permission is checked before the bytes are parsed, so a role that may not import learns
that (403), not what is wrong with its file.
"""

from __future__ import annotations

from exportguard.adapters.sanctions_lists.local_files import read_list_bytes
from exportguard.adapters.sanctions_lists.publishers import PUBLISHERS
from exportguard.domain.access import Action
from exportguard.domain.errors import InvalidInput
from exportguard.domain.screening.diff import DEFAULT_MAX_SHRINK
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.screening.commands import ImportView, import_list


def known_sources() -> list[str]:
    return sorted(PUBLISHERS)


def import_files(
    uow: UnitOfWork,
    source: str,
    files: list[tuple[str, bytes]],
    *,
    confirm: str | None = None,
    max_shrink: float = DEFAULT_MAX_SHRINK,
) -> ImportView:
    """Parse ``files`` (name, bytes) as ``source``'s publication and import it as a snapshot.

    A malformed file raises MalformedListFile naming each bad line, and nothing is stored; the
    same files twice change nothing (``created`` is False); an import that empties or shrinks the
    list too far is held until confirmed with its content hash (``confirm``).
    """
    uow.require(Action.IMPORT_LIST)
    if source not in PUBLISHERS:
        raise InvalidInput.of("source", f"unknown list {source!r}; known: {', '.join(known_sources())}")
    return import_list(uow, read_list_bytes(source, files), confirm=confirm, max_shrink=max_shrink)
