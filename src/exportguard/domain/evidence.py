"""Evidence: what may be held, how it is identified, and its chain of custody.

A file is identified by its SHA-256: the same bytes added twice are one item of evidence, whoever
adds them. Its type is what its content is (sniffed), not what the sender says; only documents and
images are held, never anything a browser would run, and every download is served as an attachment.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from exportguard.domain.errors import InvalidInput

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_URL_CHARS = 2000

# What is held, by sniffed content type; the extension is the one a download is saved under.
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "text/plain": ".txt",
}


class EvidenceKind(StrEnum):
    FILE = "file"
    LINK = "link"


class CustodyAction(StrEnum):
    ADDED = "added"  # first received: bytes stored, hash taken
    ATTACHED = "attached"  # the same item attached to another allegation or investigation
    DOWNLOADED = "downloaded"
    VERIFIED = "verified"  # hash recomputed over the stored bytes and compared


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    size: int
    media_type: str


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def looks_like_text(content: bytes) -> bool:
    """UTF-8 without control bytes other than whitespace (a NUL or a BOM-less binary is not text)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\r\n\f" for c in text)


def check_file(filename: str, content: bytes, sniffed: str | None) -> FileFacts:
    """The facts of an acceptable file, or an error naming the field and the limit broken.

    ``sniffed`` is the type its leading bytes show (None when they show none); text is recognised
    here. Markup (HTML, SVG, XML) is refused even though it is text: a browser would run it.
    """
    if not filename.strip():
        raise InvalidInput.of("file", "the file needs a name")
    size = len(content)
    if size == 0:
        raise InvalidInput.of("file", f"{filename} is empty")
    if size > MAX_FILE_BYTES:
        raise InvalidInput.of(
            "file", f"{filename} is {size} bytes; evidence files are at most {MAX_FILE_BYTES} bytes (10 MiB)"
        )
    media_type = sniffed
    if media_type is None and looks_like_text(content):
        head = content[:512].lstrip().lower()
        if head.startswith((b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script")):
            raise InvalidInput.of("file", f"{filename} is markup (HTML/SVG/XML), which is not held")
        media_type = "text/plain"
    if media_type not in ALLOWED_TYPES:
        shown = media_type or "unrecognised binary content"
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise InvalidInput.of("file", f"{filename}: {shown} is not held; allowed: {allowed}")
    return FileFacts(sha256_of(content), size, media_type)


def check_link(url: str) -> FileFacts:
    """A link is held as its address (nothing is fetched); its hash identifies it for duplicates."""
    url = url.strip()
    if len(url) > MAX_URL_CHARS:
        raise InvalidInput.of("url", f"at most {MAX_URL_CHARS} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput.of("url", "an http:// or https:// address is expected")
    return FileFacts(sha256_of(url.encode()), 0, "text/uri-list")


def download_name(item_id: int, filename: str, media_type: str) -> str:
    """The name a download is saved under: the item's number and a safe stem, with the held type's
    extension (never the sender's, which could make a browser treat the file as something else)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in base.rsplit(".", 1)[0])[:60]
    return f"evidence-{item_id}-{stem or 'file'}{ALLOWED_TYPES.get(media_type, '.bin')}"
