"""What besides a permit's own facts the border's answer depends on, read once for every path.

Every path that answers "is this export authorised?" (a single check, from the database or the read
model; a declaration file checked; the customs feed; a declaration file recorded; one export
recorded) judges with ``decide``: the domain's one rule (domain/authorisation.assess) given the
destination measures that may hold a permit (Notice to Exporters No. 992: permits to Turkey issued
before 11 Oct 2019 were on hold until 16 Apr 2020), and the diversion flags on the permit's
destination, consignee and end user shown beside the verdict (a flag does not itself revoke a
permit; it is an internal finding, shown only to those who may read it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Permit
from exportguard.domain.access import Action, Actor, may
from exportguard.domain.authorisation import Drawn, PermitFacts, Proposal, Verdict, assess
from exportguard.domain.policy import Measure
from exportguard.services.border.permit_facts import chunks
from exportguard.services.parties.diversion_flags import FlagView, flags_on
from exportguard.services.policy.measures import measures_on


@dataclass(frozen=True)
class Answer:
    """The verdict, and the diversion flags shown beside it."""

    verdict: Verdict
    flags: tuple[FlagView, ...] = ()


@dataclass(frozen=True)
class Circumstances:
    """The measures on the permits' destinations, and the flags on each permit's parties (by id)."""

    measures: tuple[Measure, ...] = ()
    flags: Mapping[int, tuple[FlagView, ...]] = field(default_factory=dict)

    def flags_on(self, permit: PermitFacts | None, day: date) -> tuple[FlagView, ...]:
        """The flags raised by ``day``: a question about an earlier day does not see a later flag."""
        if permit is None:
            return ()
        return tuple(f for f in self.flags.get(permit.id, ()) if f.raised_on <= day)


def decide(
    permit: PermitFacts | None,
    proposal: Proposal,
    drawn: Mapping[int, Drawn],
    circumstances: Circumstances,
    *,
    presented: str = "",
) -> Answer:
    """The border's answer: one rule for every path, with the flags beside it."""
    verdict = assess(permit, proposal, drawn, measures=circumstances.measures, presented=presented)
    return Answer(verdict, circumstances.flags_on(permit, proposal.shipped_on))


def circumstances_of(session: Session, actor: Actor, permits: Iterable[PermitFacts | None]) -> Circumstances:
    """The measures and flags for ``permits`` (a few queries, whatever their number)."""
    known = {p.id: p for p in permits if p is not None}
    if not known:
        return Circumstances()
    measures = tuple(measures_on(session, sorted({p.destination for p in known.values()})))
    if not may(actor.role, Action.READ_DIVERSION_FLAGS):
        return Circumstances(measures)
    flags: dict[int, tuple[FlagView, ...]] = {}
    for part in chunks(sorted(known)):
        rows = session.execute(
            select(Permit.id, Permit.destination_code, Permit.consignee_id, Permit.end_user_id).where(
                Permit.id.in_(part)
            )
        ).all()
        found = flags_on(
            session,
            actor,
            countries={r[1] for r in rows},
            party_ids={p for r in rows for p in (r[2], r[3]) if p is not None},
        )
        for permit_id, country, consignee_id, end_user_id in rows:
            mine = tuple(
                f
                for f in found
                if f.country == country
                or (f.party_id is not None and f.party_id in (consignee_id, end_user_id))
            )
            if mine:
                flags[permit_id] = mine
    return Circumstances(measures, flags)
