"""Import of the Registry of Lobbyists' communication reports, idempotent (STYLE 13).

Each communication is keyed by the registry's COMLOG_ID and a digest of its content: applying the
same export again changes nothing; a communication whose content changed is updated and counted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.adapters import lobbying_registry as registry
from exportguard.db.models import LobbyingCommunication, LobbyingImport
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.audit import AuditCommand, AuditEntry, canonical
from exportguard.services.kernel.common import View
from exportguard.services.kernel.unit_of_work import UnitOfWork

LOBBYING_ACT = "Lobbying Act, R.S.C. 1985, c. 44 (4th Supp.), s.5(3): monthly communication reports"


class ImportReport(View):
    source: str
    sha256: str
    added: int
    changed: int
    unchanged: int


class CommunicationView(View):
    comlog_id: str
    client: str
    lobbyist: str
    communicated_on: date
    posted_on: date | None
    officials: list[dict[str, str]]
    institutions: list[str]
    subject_matters: list[str]


def communication_view(c: LobbyingCommunication) -> CommunicationView:
    return CommunicationView(
        comlog_id=c.comlog_id,
        client=c.client,
        lobbyist=c.lobbyist,
        communicated_on=c.communicated_on,
        posted_on=c.posted_on,
        officials=c.officials,
        institutions=c.institutions,
        subject_matters=c.subject_matters,
    )


def _fields(c: registry.Communication) -> dict[str, object]:
    return {
        "client": c.client,
        "client_number": c.client_number,
        "lobbyist": c.lobbyist,
        "registrant_number": c.registrant_number,
        "registration_type": c.registration_type,
        "communicated_on": c.communicated_on,
        "posted_on": c.posted_on,
        "officials": [asdict(o) for o in c.officials],
        "institutions": c.institutions,
        "subject_matters": c.subject_matters,
        "amends": c.amends,
    }


def import_communications(uow: UnitOfWork, files: Mapping[str, bytes], source: str) -> ImportReport:
    """Apply an export of the registry: new communications added, changed ones updated, once."""
    uow.require(Action.IMPORT_LOBBYING)
    parsed = registry.parse(files)
    digest_all = hashlib.sha256(b"".join(files[n] for n in sorted(files))).hexdigest()
    session = uow.session
    existing = {
        c.comlog_id: c
        for c in session.scalars(
            select(LobbyingCommunication).where(
                LobbyingCommunication.comlog_id.in_([c.comlog_id for c in parsed])
            )
        )
    }
    added = changed = unchanged = 0
    for c in parsed:
        fields = _fields(c)
        digest = hashlib.sha256(canonical(fields).encode()).hexdigest()
        row = existing.get(c.comlog_id)
        if row is None:
            session.add(LobbyingCommunication(comlog_id=c.comlog_id, digest=digest, **fields))
            added += 1
        elif row.digest != digest:
            for k, v in fields.items():
                setattr(row, k, v)
            row.digest = digest
            changed += 1
        else:
            unchanged += 1
    report = ImportReport(source=source, sha256=digest_all, added=added, changed=changed, unchanged=unchanged)
    if added or changed:
        record = LobbyingImport(
            sha256=digest_all,
            source=source[:300],
            imported_at=uow.clock.now(),
            imported_by=uow.actor.principal,
            added=added,
            changed=changed,
            unchanged=unchanged,
        )
        session.add(record)
        session.flush()
        uow.record(
            AuditEntry(
                command=AuditCommand.IMPORT_LOBBYING,
                subject_type="lobbying_import",
                subject_id=record.id,
                subject_ref=digest_all[:16],
                legal_basis=LOBBYING_ACT,
                reason=f"Registry of Lobbyists export {source}",
                effective_date=uow.clock.today(),
                before=None,
                after=report.model_dump(mode="json"),
            )
        )
    uow.commit()
    return report


def list_communications(session: Session, actor: Actor, client: str | None = None) -> list[CommunicationView]:
    require(actor, Action.READ_LOBBYING)
    stmt = select(LobbyingCommunication).order_by(
        LobbyingCommunication.communicated_on, LobbyingCommunication.comlog_id
    )
    if client:
        stmt = stmt.where(LobbyingCommunication.client.ilike(f"%{client}%"))
    return [communication_view(c) for c in session.scalars(stmt)]
