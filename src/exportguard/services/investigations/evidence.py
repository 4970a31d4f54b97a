"""Evidence: files and links held for allegations and investigations, with their chain of custody.

A file's type is sniffed from its content (the ``filetype`` library reads the leading bytes), its
SHA-256 identifies it: the same bytes sent twice are recognised and held once. Every receipt,
attachment, download and verification is written to the custody log in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import filetype
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from exportguard.db.models import Allegation, CustodyEvent, EvidenceAttachment, EvidenceItem, Investigation
from exportguard.domain import evidence as rules
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import AuditCommand, AuditEntry
from exportguard.domain.errors import Conflict, NotFound, Problem
from exportguard.domain.evidence import CustodyAction, EvidenceKind, FileFacts
from exportguard.domain.investigations import InvestigationCommand
from exportguard.services.investigations.allegations import ATT_11_4, load_allegation
from exportguard.services.investigations.commands import load_investigation, step
from exportguard.services.kernel.common import Input, View
from exportguard.services.kernel.unit_of_work import UnitOfWork

RecordKind = Literal["allegation", "investigation"]


class EvidenceView(View):
    id: int
    kind: str
    sha256: str
    size: int
    media_type: str
    filename: str
    url: str | None
    description: str
    added_by: str
    added_at: datetime
    duplicate: bool = False
    note: str = ""


class CustodyView(View):
    action: str
    principal: str
    at: datetime
    sha256: str
    detail: dict[str, object]


class LinkInput(Input):
    url: str = Field(max_length=rules.MAX_URL_CHARS)
    description: str = Field(default="", max_length=2000)


def sniff(content: bytes) -> str | None:
    kind = filetype.guess(content[:8192])
    return None if kind is None else str(kind.mime)


def view_of(item: EvidenceItem, *, duplicate: bool = False, note: str = "") -> EvidenceView:
    return EvidenceView(
        id=item.id,
        kind=item.kind,
        sha256=item.sha256,
        size=item.size,
        media_type=item.media_type,
        filename=item.filename,
        url=item.url,
        description=item.description,
        added_by=item.added_by,
        added_at=item.added_at,
        duplicate=duplicate,
        note=note,
    )


def _record(
    uow: UnitOfWork, record: RecordKind, ref: str
) -> tuple[Allegation | Investigation, dict[str, int]]:
    if record == "allegation":
        allegation = load_allegation(uow.session, ref, lock=True)
        return allegation, {"allegation_id": allegation.id}
    inv = load_investigation(uow.session, ref, lock=True)
    step(uow, inv, InvestigationCommand.ADD_EVIDENCE)
    return inv, {"investigation_id": inv.id}


def _custody(uow: UnitOfWork, item: EvidenceItem, action: CustodyAction, detail: dict[str, object]) -> None:
    uow.session.add(
        CustodyEvent(
            evidence_id=item.id,
            action=action.value,
            principal=uow.actor.principal,
            at=uow.clock.now(),
            sha256=item.sha256,
            detail=detail,
        )
    )


def _hold(
    uow: UnitOfWork,
    record: RecordKind,
    ref: str,
    facts: FileFacts,
    kind: EvidenceKind,
    *,
    filename: str,
    url: str | None,
    content: bytes | None,
    description: str,
) -> EvidenceView:
    uow.require(Action.INVESTIGATE)
    session = uow.session
    target, key = _record(uow, record, ref)
    where = f"{record} {target.reference}"
    item = session.scalar(
        select(EvidenceItem).where(EvidenceItem.kind == kind.value, EvidenceItem.sha256 == facts.sha256)
    )
    duplicate, note = item is not None, ""
    if item is None:
        item = EvidenceItem(
            kind=kind.value,
            sha256=facts.sha256,
            size=facts.size,
            media_type=facts.media_type,
            filename=filename,
            url=url,
            description=description,
            content=content,
            added_by=uow.actor.principal,
            added_at=uow.clock.now(),
        )
        session.add(item)
        session.flush()
        _custody(uow, item, CustodyAction.ADDED, {"to": where, "filename": filename, "size": facts.size})
    else:
        note = f"already held as evidence {item.id} (added by {item.added_by} on {item.added_at.date()})"
    attached = session.scalar(
        select(EvidenceAttachment.id).where(EvidenceAttachment.evidence_id == item.id).filter_by(**key)
    )
    if attached is not None:
        # Nothing new: leaving without a commit rolls back the investigation's step too.
        return view_of(item, duplicate=True, note=note + f", already attached to {where}")
    session.add(
        EvidenceAttachment(
            evidence_id=item.id, attached_by=uow.actor.principal, attached_at=uow.clock.now(), **key
        )
    )
    if duplicate:
        _custody(uow, item, CustodyAction.ATTACHED, {"to": where})
    uow.record(
        AuditEntry(
            command=AuditCommand.ADD_EVIDENCE,
            subject_type=record,
            subject_id=target.id,
            subject_ref=target.reference,
            legal_basis=ATT_11_4,
            reason=description or filename or url or "",
            effective_date=uow.clock.today(),
            before=None,
            after={"evidence": item.id, "sha256": item.sha256, "kind": kind.value, "duplicate": duplicate},
        )
    )
    uow.commit()
    return view_of(item, duplicate=duplicate, note=note)


def add_file(
    uow: UnitOfWork, record: RecordKind, ref: str, filename: str, content: bytes, *, description: str = ""
) -> EvidenceView:
    facts = rules.check_file(filename, content, sniff(content))
    return _hold(
        uow,
        record,
        ref,
        facts,
        EvidenceKind.FILE,
        filename=filename[:300],
        url=None,
        content=content,
        description=description,
    )


def add_link(uow: UnitOfWork, record: RecordKind, ref: str, data: LinkInput) -> EvidenceView:
    facts = rules.check_link(data.url)
    return _hold(
        uow,
        record,
        ref,
        facts,
        EvidenceKind.LINK,
        filename="",
        url=data.url.strip(),
        content=None,
        description=data.description,
    )


def _item(session: Session, evidence_id: int, *, with_content: bool = False) -> EvidenceItem:
    stmt = select(EvidenceItem).where(EvidenceItem.id == evidence_id)
    if with_content:
        stmt = stmt.options(undefer(EvidenceItem.content))
    item = session.scalar(stmt)
    if item is None:
        raise NotFound(f"no evidence {evidence_id}", [Problem("evidence", "not found")])
    return item


def download(uow: UnitOfWork, evidence_id: int) -> tuple[EvidenceView, bytes, str]:
    """The bytes, the name to save them under, and a custody entry saying who took them."""
    uow.require(Action.READ_INVESTIGATIONS)
    item = _item(uow.session, evidence_id, with_content=True)
    if item.content is None:
        raise Conflict(f"evidence {evidence_id} is a link, not a file", [Problem("evidence", "is a link")])
    content = item.content
    _custody(uow, item, CustodyAction.DOWNLOADED, {"size": len(content)})
    uow.commit()
    return view_of(item), content, rules.download_name(item.id, item.filename, item.media_type)


def verify(uow: UnitOfWork, evidence_id: int) -> dict[str, object]:
    """Recompute the hash of what is held and compare it with the one taken on receipt."""
    uow.require(Action.INVESTIGATE)
    item = _item(uow.session, evidence_id, with_content=True)
    held = item.url.encode() if item.url is not None else (item.content or b"")
    now = rules.sha256_of(held)
    intact = now == item.sha256
    _custody(uow, item, CustodyAction.VERIFIED, {"intact": intact, "recomputed": now})
    uow.commit()
    return {"evidence": item.id, "sha256": item.sha256, "recomputed": now, "intact": intact}


def custody(session: Session, actor: Actor, evidence_id: int) -> list[CustodyView]:
    require(actor, Action.READ_INVESTIGATIONS)
    _item(session, evidence_id)
    rows = session.scalars(
        select(CustodyEvent).where(CustodyEvent.evidence_id == evidence_id).order_by(CustodyEvent.id)
    )
    return [
        CustodyView(action=r.action, principal=r.principal, at=r.at, sha256=r.sha256, detail=r.detail)
        for r in rows
    ]


def evidence_of(
    session: Session, *, allegation_id: int | None = None, investigation_id: int | None = None
) -> list[tuple[EvidenceView, datetime, str]]:
    """Evidence attached to a record, with when and by whom it was attached."""
    rows = session.execute(
        select(EvidenceItem, EvidenceAttachment.attached_at, EvidenceAttachment.attached_by)
        .join(EvidenceAttachment, EvidenceAttachment.evidence_id == EvidenceItem.id)
        .where(
            EvidenceAttachment.allegation_id == allegation_id
            if allegation_id is not None
            else EvidenceAttachment.investigation_id == investigation_id
        )
        .order_by(EvidenceAttachment.attached_at, EvidenceItem.id)
    )
    return [(view_of(item), at, by) for item, at, by in rows]
