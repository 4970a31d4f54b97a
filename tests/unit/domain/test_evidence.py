"""Evidence rules: hash, size and type limits, links, the download name (pure)."""

from __future__ import annotations

import hashlib

import pytest

from exportguard.domain.errors import InvalidInput
from exportguard.domain.evidence import MAX_FILE_BYTES, check_file, check_link, download_name

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def test_a_file_is_identified_by_its_sha256_and_typed_by_what_it_is() -> None:
    facts = check_file("report.pdf", PDF, "application/pdf")
    assert facts.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (facts.size, facts.media_type) == (len(PDF), "application/pdf")
    # Text is recognised from its content, whatever its name says.
    assert check_file("notes.exe", "Témoin: caméra MX-15D\n".encode(), None).media_type == "text/plain"


def test_size_limits_name_the_field_and_the_limit() -> None:
    with pytest.raises(InvalidInput, match="empty") as empty:
        check_file("x.txt", b"", None)
    assert empty.value.problems[0].field == "file"
    with pytest.raises(InvalidInput, match=str(MAX_FILE_BYTES)):
        check_file("big.txt", b"a" * (MAX_FILE_BYTES + 1), None)
    assert check_file("edge.txt", b"a" * MAX_FILE_BYTES, None).size == MAX_FILE_BYTES


@pytest.mark.parametrize(
    ("content", "sniffed", "why"),
    [
        (b"<!DOCTYPE html><script>alert(1)</script>", None, "markup"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", None, "markup"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "application/x-msdownload", "not held"),
        (b"\x00\x01\x02binary", None, "unrecognised binary"),
    ],
)
def test_types_a_browser_would_run_or_that_are_unknown_are_refused(
    content: bytes, sniffed: str | None, why: str
) -> None:
    with pytest.raises(InvalidInput, match=why):
        check_file("evidence.pdf", content, sniffed)


def test_links_are_http_and_identified_by_their_address() -> None:
    url = "https://www.ploughshares.ca/reports/killer-optics"
    assert check_link(url).sha256 == hashlib.sha256(url.encode()).hexdigest()
    for bad in ("javascript:alert(1)", "ftp://x/y", "https://", "x" * 3000):
        with pytest.raises(InvalidInput) as err:
            check_link(bad)
        assert err.value.problems[0].field == "url"


def test_download_name_keeps_the_held_type_not_the_senders_extension() -> None:
    assert download_name(7, "photo.html", "image/png") == "evidence-7-photo.png"
    assert download_name(8, "../../etc/passwd", "text/plain") == "evidence-8-passwd.txt"
