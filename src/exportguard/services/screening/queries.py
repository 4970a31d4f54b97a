"""Screening reads: review tasks with what a reviewer needs, alerts, snapshot diffs, and an ad-hoc
name query. Nothing here writes: every function takes a session and checks READ_SCREENING
(hits name parties as possibly sanctioned, so they are internal: PERMISSIONS, issue 5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import ListSnapshot, Party, ScreeningAlert, ScreeningHit
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.errors import InvalidInput, Problem
from exportguard.domain.screening.diff import diff_entries
from exportguard.domain.screening.entries import ListEntry, PartialDate, PartyQuery, Schema
from exportguard.services.kernel.common import CountryCodeStr, Input, NonEmpty, View, get_or_404
from exportguard.services.parties.diversion_flags import flags_on_parties
from exportguard.services.screening.commands import HitView
from exportguard.services.screening.store import current_lists, snapshot_entries

HitStatus = Literal["open", "false_positive", "true_match"]
AlertStatus = Literal["open", "closed"]
# YYYY, YYYY-MM or YYYY-MM-DD, as lists give dates of birth (PartialDate).
BirthDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]


class HitDetail(HitView):
    """A review task: the hit, the party it concerns and the snapshot it was found in."""

    party_name: str
    party_country: str
    snapshot_id: int
    reasons: list[str] = Field(description="The explanation, one line per finding")
    snapshot_published: str
    snapshot_hash: str
    snapshot_imported_at: datetime
    disposition_reason: str
    disposed_by: str
    disposed_at: datetime | None


class AlertView(View):
    id: int
    hit_id: int
    application_id: int | None
    permit_id: int | None
    raised_at: datetime
    status: str
    party_id: int
    party_name: str
    source: str
    entry_id: str
    listed_name: str
    score: float
    hit_status: str


class DiffEntry(View):
    entry_id: str
    name: str
    schema_: str = Field(serialization_alias="schema")


class DiffView(View):
    source: str
    from_id: int
    to_id: int
    summary: str
    added: list[DiffEntry]
    changed: list[DiffEntry]
    removed: list[DiffEntry]


class NameQuery(Input):
    """An ad-hoc question: who on the loaded lists might this be? Country and date help."""

    name: Annotated[NonEmpty, StringConstraints(max_length=300)]
    country: CountryCodeStr | None = None
    birth_date: BirthDate | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    kind: Schema = Field(default=Schema.UNKNOWN, alias="schema")
    limit: int = Field(default=5, ge=1, le=50)


class MatchView(View):
    source: str
    entry_id: str
    snapshot_id: int
    primary_name: str
    listed_name: str
    schema_: str = Field(serialization_alias="schema")
    score: float
    explanation: str
    countries: list[str]
    programs: list[str]


def explanation_lines(explanation: str) -> list[str]:
    """The matcher's explanation as lines a reviewer reads: the name comparison (with the parts
    only one side has) first, then each adjustment (country, date of birth, kind)."""
    lines: list[str] = []
    for part in explanation.split("; "):
        if part.startswith("only in ") and lines:
            lines[-1] += "; " + part
        else:
            lines.append(part)
    return lines


def _detail(hit: ScreeningHit, party: Party, snapshot: ListSnapshot) -> HitDetail:
    return HitDetail.model_validate(
        {
            **HitView.model_validate(hit).model_dump(),
            "party_name": party.name,
            "party_country": party.country_code,
            "snapshot_id": hit.snapshot_id,
            "reasons": explanation_lines(hit.explanation),
            "snapshot_published": snapshot.published,
            "snapshot_hash": snapshot.content_hash,
            "snapshot_imported_at": snapshot.imported_at,
            "disposition_reason": hit.disposition_reason,
            "disposed_by": hit.disposed_by,
            "disposed_at": hit.disposed_at,
        }
    )


def review_tasks(session: Session, actor: Actor, status: HitStatus | None = "open") -> list[HitDetail]:
    """Hits with the given status (None: all), newest first, each with its party and snapshot."""
    require(actor, Action.READ_SCREENING)
    stmt = select(ScreeningHit, Party, ListSnapshot).join(Party, Party.id == ScreeningHit.party_id)
    stmt = stmt.join(ListSnapshot, ListSnapshot.id == ScreeningHit.snapshot_id)
    stmt = stmt.where(ScreeningHit.status == status) if status else stmt
    details = [_detail(h, p, s) for h, p, s in session.execute(stmt.order_by(ScreeningHit.id.desc()))]
    return _flagged(session, actor, details)


def _flagged(session: Session, actor: Actor, details: list[HitDetail]) -> list[HitDetail]:
    """Each hit with the diversion flags on its party and the party's country (and their source)."""
    flags = flags_on_parties(session, actor, {d.party_id: d.party_country for d in details})
    return [d.model_copy(update={"diversion_flags": flags[d.party_id]}) for d in details]


def get_hit(session: Session, actor: Actor, hit_id: int) -> HitDetail:
    require(actor, Action.READ_SCREENING)
    hit = get_or_404(session, ScreeningHit, hit_id, "screening hit", "hit_id")
    party = session.get_one(Party, hit.party_id)
    return _flagged(session, actor, [_detail(hit, party, session.get_one(ListSnapshot, hit.snapshot_id))])[0]


def list_alerts(session: Session, actor: Actor, status: AlertStatus | None = None) -> list[AlertView]:
    """Alerts raised on pending applications and permits in force by list imports, newest first."""
    require(actor, Action.READ_SCREENING)
    stmt = select(ScreeningAlert, ScreeningHit, Party).join(
        ScreeningHit, ScreeningHit.id == ScreeningAlert.hit_id
    )
    stmt = stmt.join(Party, Party.id == ScreeningHit.party_id).order_by(ScreeningAlert.id.desc())
    return [
        AlertView(
            id=a.id,
            hit_id=h.id,
            application_id=a.application_id,
            permit_id=a.permit_id,
            raised_at=a.raised_at,
            status=a.status,
            party_id=p.id,
            party_name=p.name,
            source=h.source,
            entry_id=h.entry_id,
            listed_name=h.listed_name,
            score=h.score,
            hit_status=h.status,
        )
        for a, h, p in session.execute(stmt.where(ScreeningAlert.status == status) if status else stmt)
    ]


def _diff_entry(entry: ListEntry) -> DiffEntry:
    return DiffEntry(entry_id=entry.entry_id, name=entry.primary_name, schema_=entry.schema.value)


def diff_snapshots(session: Session, actor: Actor, from_id: int, to_id: int) -> DiffView:
    """Entries added, changed and removed between two snapshots of the same list."""
    require(actor, Action.READ_SCREENING)
    old = get_or_404(session, ListSnapshot, from_id, "list snapshot", "from")
    new = get_or_404(session, ListSnapshot, to_id, "list snapshot", "to")
    if old.source != new.source:
        raise InvalidInput(
            f"snapshots {from_id} and {to_id} are of different lists",
            [Problem("to", f"is a snapshot of {new.source}, not of {old.source}")],
        )
    change = diff_entries(snapshot_entries(session, old), snapshot_entries(session, new))
    return DiffView(
        source=new.source,
        from_id=old.id,
        to_id=new.id,
        summary=change.summary(),
        added=[_diff_entry(e) for e in change.added],
        changed=[_diff_entry(e) for _, e in change.changed],
        removed=[_diff_entry(e) for e in change.removed],
    )


def screen_name(session: Session, actor: Actor, query: NameQuery) -> list[MatchView]:
    """The best matches for a name on the current lists, with score and explanation.

    Read-only: no hit, alert or audit event is written (it is a question, not a screening of a
    registered party; that is ``screening.screen_party``).
    """
    require(actor, Action.READ_SCREENING)
    loaded = current_lists(session)
    party = PartyQuery(
        query.name,
        query.kind,
        frozenset({query.country}) if query.country else frozenset(),
        PartialDate.parse(query.birth_date) if query.birth_date else None,
    )
    return [
        MatchView(
            source=h.entry.source,
            entry_id=h.entry.entry_id,
            snapshot_id=loaded.snapshot_of[h.entry.source],
            primary_name=h.entry.primary_name,
            listed_name=h.matched_name,
            schema_=h.entry.schema.value,
            score=round(h.score, 4),
            explanation=h.explanation,
            countries=sorted(h.entry.countries),
            programs=list(h.entry.programs),
        )
        for h in loaded.index.screen(party, limit=query.limit)
    ]
