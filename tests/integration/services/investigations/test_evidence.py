"""Evidence held for an investigation: hash, duplicates recognised, custody logged, limits enforced."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from exportguard.db.models import EvidenceItem
from exportguard.domain.errors import InvalidInput, NotPermitted
from exportguard.services.investigations import evidence
from exportguard.services.system import ExportGuard
from tests.factories import DIRECTOR, OFFICER
from tests.integration.services.investigations.test_investigations import PUBLIC, opened, public_allegation

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_file_held_once_by_hash_attached_twice_with_custody(eg: ExportGuard) -> None:
    ref = opened(eg, public_allegation(eg))
    receipt = public_allegation(eg)
    with eg.uow(OFFICER) as uow:
        first = evidence.add_file(uow, "investigation", ref, "wreckage.png", PNG, description="TB2 wreckage")
    assert (first.sha256, first.size, first.media_type, first.duplicate) == (
        hashlib.sha256(PNG).hexdigest(),
        len(PNG),
        "image/png",
        False,
    )
    with eg.uow(DIRECTOR) as uow:
        again = evidence.add_file(uow, "investigation", ref, "same-picture.png", PNG)
    assert again.duplicate and again.id == first.id and "already held as evidence" in again.note
    with eg.uow(DIRECTOR) as uow:
        elsewhere = evidence.add_file(uow, "allegation", receipt.reference, "copy.png", PNG)
    assert elsewhere.duplicate and elsewhere.id == first.id
    with eg.uow(OFFICER) as uow:
        _view, content, name = evidence.download(uow, first.id)
    assert content == PNG and name == f"evidence-{first.id}-wreckage.png"
    with eg.uow(OFFICER) as uow:
        assert evidence.verify(uow, first.id)["intact"] is True
    with eg.read() as s:
        log = evidence.custody(s, OFFICER, first.id)
        assert s.scalar(select(func.count(EvidenceItem.id))) == 1
    assert [(c.action, c.principal) for c in log] == [
        ("added", OFFICER.principal),
        ("attached", DIRECTOR.principal),
        ("downloaded", OFFICER.principal),
        ("verified", OFFICER.principal),
    ]
    assert {c.sha256 for c in log} == {first.sha256}


def test_links_and_limits(eg: ExportGuard) -> None:
    ref = opened(eg, public_allegation(eg))
    with eg.uow(OFFICER) as uow:
        link = evidence.add_link(
            uow, "investigation", ref, evidence.LinkInput(url="https://example.org/report")
        )
    assert (link.kind, link.media_type, link.size) == ("link", "text/uri-list", 0)
    with eg.uow(OFFICER) as uow, pytest.raises(InvalidInput, match="markup"):
        evidence.add_file(uow, "investigation", ref, "page.html", b"<html><script>x</script></html>")
    with eg.uow(OFFICER) as uow, pytest.raises(InvalidInput, match="is not held"):
        evidence.add_file(uow, "investigation", ref, "tool.exe", b"MZ\x90\x00" + b"\x00" * 60)
    with eg.uow(PUBLIC) as uow, pytest.raises(NotPermitted):
        evidence.add_file(uow, "investigation", ref, "a.txt", b"hello")
    with eg.read() as s:
        assert s.scalar(select(func.count(EvidenceItem.id))) == 1  # nothing half-written
