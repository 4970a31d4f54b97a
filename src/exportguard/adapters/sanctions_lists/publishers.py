"""Where each list is officially published, how to fetch it, and which parser reads it.

Fetching sits behind :class:`Fetcher` so that tests use :class:`InMemoryFetcher` and nothing
touches the network; :class:`HttpFetcher` is the production twin.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from exportguard.adapters.sanctions_lists.bis_denied_persons import parse_bis_denied_persons
from exportguard.adapters.sanctions_lists.canada_sema import parse_canada_sema
from exportguard.adapters.sanctions_lists.ofac_sdn import parse_ofac_sdn
from exportguard.adapters.sanctions_lists.opensanctions_ftm import parse_ftm_entities
from exportguard.adapters.sanctions_lists.snapshot import ParsedList, read_safely
from exportguard.adapters.sanctions_lists.uk_sanctions import parse_uk_sanctions
from exportguard.adapters.sanctions_lists.un_consolidated import parse_un_consolidated


class Fetcher(Protocol):
    def fetch(self, url: str) -> bytes: ...


class HttpFetcher:
    """Plain HTTPS GET with a timeout; publishers serve static files."""

    def __init__(self, timeout_seconds: float = 120.0) -> None:
        self._timeout = timeout_seconds

    def fetch(self, url: str) -> bytes:
        if not url.startswith("https://"):
            raise ValueError(f"refusing non-HTTPS list URL {url}")
        request = urllib.request.Request(  # noqa: S310 - https only, checked above
            url, headers={"User-Agent": "ExportGuard list import"}
        )
        with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310 - https only, checked above
            body: bytes = response.read()
        return body


class InMemoryFetcher:
    """The test twin: serves bytes registered per URL and records what was asked for."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self._files = dict(files)
        self.requested: list[str] = []

    def fetch(self, url: str) -> bytes:
        self.requested.append(url)
        if url not in self._files:
            raise LookupError(f"no such file in the in-memory publisher: {url}")
        return self._files[url]


def _single(parser: Callable[[bytes], ParsedList], name: str) -> Callable[[dict[str, bytes]], ParsedList]:
    def parse(files: dict[str, bytes]) -> ParsedList:
        return parser(files[name])

    return parse


@dataclass(frozen=True)
class Publisher:
    """One official list: its files (local name -> official URL) and its parser."""

    source: str
    files: Mapping[str, str]
    parse: Callable[[dict[str, bytes]], ParsedList]

    def download(self, fetcher: Fetcher) -> ParsedList:
        """Fetch every file of the set, then parse: a failed fetch or parse loads nothing."""
        return self.read({name: fetcher.fetch(url) for name, url in self.files.items()})

    def read(self, files: dict[str, bytes]) -> ParsedList:
        """Parse the set's files; anything the parser cannot read is a MalformedListFile."""
        return read_safely(self.parse, files)


_OFAC = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
PUBLISHERS: dict[str, Publisher] = {
    p.source: p
    for p in (
        Publisher(
            "un-consolidated",
            {"consolidated.xml": "https://scsanctions.un.org/resources/xml/en/consolidated.xml"},
            _single(parse_un_consolidated, "consolidated.xml"),
        ),
        Publisher(
            "ofac-sdn",
            {"sdn.csv": _OFAC + "SDN.CSV", "alt.csv": _OFAC + "ALT.CSV", "add.csv": _OFAC + "ADD.CSV"},
            parse_ofac_sdn,
        ),
        Publisher(
            "bis-denied-persons",
            {"dpl.txt": "https://www.bis.doc.gov/dpl/dpl.txt"},
            _single(parse_bis_denied_persons, "dpl.txt"),
        ),
        Publisher(
            "canada-sema",
            {
                "sema-lmes.xml": "https://www.international.gc.ca/world-monde/assets/office_docs/"
                "international_relations-relations_internationales/sanctions/sema-lmes.xml"
            },
            _single(parse_canada_sema, "sema-lmes.xml"),
        ),
        Publisher(
            # The FCDO publishes the UK Sanctions List; these are its subject, name and
            # date-of-birth tables as normalised CSV exports.
            "uk-sanctions",
            {
                "subjects.csv": "https://sanctionslist.fcdo.gov.uk/docs/subjects.csv",
                "names.csv": "https://sanctionslist.fcdo.gov.uk/docs/subject-names.csv",
                "dobs.csv": "https://sanctionslist.fcdo.gov.uk/docs/subject-dobs.csv",
            },
            parse_uk_sanctions,
        ),
        Publisher(
            "opensanctions",
            {
                "entities.ftm.json": "https://data.opensanctions.org/datasets/latest/sanctions/"
                "entities.ftm.json"
            },
            _single(parse_ftm_entities, "entities.ftm.json"),
        ),
    )
}
