"""Determination of a proposed export, and the policy gate that approval passes through.

ECL s.2 decides whether a permit is needed; General Export Permit No. 41 may cover it instead; the
destination measures in force decide whether it may proceed, needs an exception, or is prohibited.
Every rule that fired is named in the trace. Approval uses the same determination (on the
decision's effective date): an exception to a presumptive denial is recorded with its measure,
ground, justification and the decider's authority, and can be listed afterwards.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportguard.db.models import Application, ControlListItem, Decision, Party, ProductClassification
from exportguard.domain import policy as rules
from exportguard.domain.access import Action, Actor, Role, require
from exportguard.domain.applications import PartyRole
from exportguard.domain.errors import Conflict, InvalidInput, Problem
from exportguard.services.kernel.common import CountryCodeStr, Input, RecordId, View
from exportguard.services.parties.diversion_flags import FlagView, flags_on
from exportguard.services.policy.general_permits import gep41, registered
from exportguard.services.policy.measures import measures_on


class ProposedExport(Input):
    destination: CountryCodeStr
    items: list[str] = Field(default=[], description="Export Control List items, e.g. 2-15")
    products: list[RecordId] = Field(default=[], description="Product ids; their classifications are used")
    exporter_id: RecordId | None = None
    consignee_id: RecordId | None = None
    end_user_id: RecordId | None = None
    on: date | None = Field(default=None, description="Date of the proposed export (default: today)")


class TraceView(View):
    rule: str
    subject: str
    finding: str


class DeterminationView(View):
    destination: str
    on: date
    items: list[str]
    permit_required: bool
    general_permit: str | None
    outcome: str
    exception_authority: str | None
    exception_grounds: list[str]
    applicable_measures: list[str]
    trace: list[TraceView]
    # ATT Art. 11: a breach of end-use assurances found earlier marks the destination or parties.
    diversion_flags: list[FlagView] = []


def _items(session: Session, data: ProposedExport) -> list[str]:
    codes = list(data.items)
    # An item not on the Export Control List is refused by name (not judged, nor a crash).
    known = set(session.scalars(select(ControlListItem.code).where(ControlListItem.code.in_(codes))))
    problems = [
        Problem(f"items[{n}]", f"'{code}' is not an Export Control List item (e.g. 2-15)")
        for n, code in enumerate(codes)
        if code not in known
    ]
    if problems:
        raise InvalidInput("; ".join(str(p) for p in problems), problems)
    for n, pid in enumerate(data.products):
        found = session.scalars(
            select(ProductClassification.item_code).where(ProductClassification.product_id == pid)
        )
        got = sorted(found)
        if not got:
            raise InvalidInput.of(f"products[{n}]", f"no classified product {pid}")
        codes.extend(got)
    return list(dict.fromkeys(codes))


def _country(session: Session, party_id: int | None, field: str) -> str | None:
    if party_id is None:
        return None
    party = session.get(Party, party_id)
    if party is None:
        raise InvalidInput.of(field, f"no party {party_id}")
    return party.country_code


def evaluate(
    session: Session, data: ProposedExport, today: date
) -> tuple[rules.Determination, list[str], date]:
    day = data.on or today
    items = _items(session, data)
    countries = tuple(
        c
        for c in (
            _country(session, data.consignee_id, "consignee_id"),
            _country(session, data.end_user_id, "end_user_id"),
        )
        if c
    )
    proposed = rules.ProposedExport(
        destination=data.destination,
        item_codes=tuple(items),
        day=day,
        party_countries=countries,
        exporter_gep41_registered=registered(session, data.exporter_id, day.year),
    )
    measures = measures_on(session, [data.destination, *countries])
    return rules.determine(proposed, measures, gep41()), items, day


def determine_export(session: Session, actor: Actor, data: ProposedExport, today: date) -> DeterminationView:
    require(actor, Action.READ_POLICIES)
    found, items, day = evaluate(session, data, today)
    return DeterminationView(
        destination=data.destination,
        on=day,
        items=items,
        permit_required=found.permit_required,
        general_permit=found.general_permit,
        outcome=found.outcome.value,
        exception_authority=found.exception_authority.value if found.exception_authority else None,
        exception_grounds=list(found.exception_grounds),
        applicable_measures=list(found.applicable_measures),
        trace=[TraceView(rule=t.rule, subject=t.subject, finding=t.finding) for t in found.trace],
        diversion_flags=flags_on(
            session,
            actor,
            countries=[data.destination],
            party_ids=[data.consignee_id, data.end_user_id],
            on=day,
        ),
    )


def for_application(session: Session, app: Application, day: date) -> rules.Determination:
    roles = {ap.role: ap.party_id for ap in app.parties}
    data = ProposedExport(
        destination=app.destination_code,
        items=sorted({line.item_code for line in app.lines}),
        exporter_id=roles.get(PartyRole.EXPORTER.value),
        consignee_id=roles.get(PartyRole.CONSIGNEE.value),
        end_user_id=roles.get(PartyRole.END_USER.value),
        on=day,
    )
    return evaluate(session, data, day)[0]


def check_approval(
    session: Session, app: Application, exception: dict[str, Any] | None, role: Role, day: date
) -> dict[str, Any] | None:
    """Refuse an approval that policy forbids; return the exception as it is to be recorded."""
    found = for_application(session, app, day)
    claim = None
    if exception is not None and found.exception_measures:
        try:
            claim = rules.ExceptionClaim(
                measure=str(exception["measure"]),
                ground=str(exception["ground"]),
                justification=str(exception.get("justification", "")),
            )
        except KeyError as missing:
            raise InvalidInput.of(f"policy_exception.{missing.args[0]}", "required") from None
    rules.check_decision(found, claim, role)
    if claim is None:
        return exception  # no measure asks for an exception: recorded as given
    measure = next(m for m in found.exception_measures if m.key == claim.measure)
    return {
        "measure": measure.key,
        "measure_version": measure.version,
        "ground": claim.ground,
        "justification": claim.justification,
        "authority": (measure.exception_authority or Role.MINISTER).value,
        "decided_by_role": role.value,
        "outcome_without_exception": found.outcome.value,
    }


class ExceptionView(View):
    application_id: int
    application: str
    destination: str
    exporter: str
    decided_by: str
    decided_by_role: str
    decided_on: date
    measure: str
    ground: str
    justification: str


def list_exceptions(session: Session, actor: Actor, measure: str | None = None) -> list[ExceptionView]:
    """Applications approved as exceptions to a policy: by whom, on what ground and justification."""
    require(actor, Action.READ_APPLICATIONS)
    rows = session.execute(
        select(Decision, Application, Party.name)
        .join(Application, Application.id == Decision.application_id)
        .join(Party, Party.id == Application.organisation_id)
        .where(Decision.outcome == "approve")
        .order_by(Decision.decided_on, Decision.id)
    ).all()
    out = []
    for decision, app, exporter in rows:
        exc = decision.policy_exception
        if not exc or not actor.sees(app.organisation_id):
            continue
        key = str(exc.get("measure") or exc.get("policy") or "")
        if measure is not None and key != measure:
            continue
        out.append(
            ExceptionView(
                application_id=app.id,
                application=f"{app.reference}/v{app.version}",
                destination=app.destination_code,
                exporter=exporter,
                decided_by=decision.decided_by,
                decided_by_role=decision.decided_by_role,
                decided_on=decision.decided_on,
                measure=key,
                ground=str(exc.get("ground", "")),
                justification=str(exc.get("justification") or decision.justification),
            )
        )
    return out


def check_issue(session: Session, app: Application, day: date) -> None:
    """Issue 11: no permit is issued on a day a measure in force forbids it (an arms embargo, or a
    moratorium on new permits), whatever was approved before the measure came into force."""
    found = for_application(session, app, day)
    if found.outcome in (rules.Outcome.PROHIBITED, rules.Outcome.NO_NEW_PERMITS):
        why = "; ".join(
            t.finding for t in found.trace if "embargo" in t.finding or "no new permits" in t.finding
        )
        raise Conflict(
            f"no permit may be issued for {app.destination_code} on {day}: {why}",
            [Problem("issued_on", why)],
        )


def refuse_prohibited(session: Session, app: Application, day: date) -> None:
    """Submission: an export under an arms embargo is refused outright (ATT Art. 6(1))."""
    found = for_application(session, app, day)
    if found.outcome is rules.Outcome.PROHIBITED:
        why = "; ".join(t.finding for t in found.trace if "embargo" in t.finding)
        raise InvalidInput("the export is prohibited", [Problem("destination", why)])
