"""Downloading a list from its official publisher and importing it as a snapshot."""

from __future__ import annotations

from exportguard.adapters.sanctions_lists.publishers import PUBLISHERS, Fetcher
from exportguard.domain.access import Action
from exportguard.domain.errors import DomainError, InvalidInput, Problem
from exportguard.domain.screening.diff import DEFAULT_MAX_SHRINK
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.screening.commands import ImportView, import_list


class ListUnavailable(DomainError):
    """The publisher could not be reached or did not serve the file; nothing was imported."""

    status = 502
    title = "The list publisher could not be reached"


def download_list(
    uow: UnitOfWork,
    source: str,
    fetcher: Fetcher,
    *,
    confirm: str | None = None,
    max_shrink: float = DEFAULT_MAX_SHRINK,
) -> ImportView:
    """Fetch every file of the publication, parse, import; a failure anywhere imports nothing."""
    uow.require(Action.IMPORT_LIST)
    publisher = PUBLISHERS.get(source)
    if publisher is None:
        raise InvalidInput.of("source", f"unknown list {source!r}; known: {', '.join(sorted(PUBLISHERS))}")
    try:
        parsed = publisher.download(fetcher)
    except (OSError, LookupError) as exc:  # urllib's URLError is an OSError; the twin raises LookupError
        raise ListUnavailable(
            f"could not download {source}: {exc}", [Problem("source", f"{source}: {exc}")]
        ) from exc
    return import_list(uow, parsed, confirm=confirm, max_shrink=max_shrink)
