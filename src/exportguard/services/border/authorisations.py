"""The border's question, "is this export authorised?", answered with every reason and recorded.

EPR s.5-6: the permit is presented at export and checked against the declaration; EIPA s.13
prohibits export without one. The rules are in domain/authorisation.py; here the permit's facts are
found (from the database, or from the in-memory read model when one is given) and each question and
answer is recorded: who asked, when, what, and what they were told.

A check changes nothing, so it is not an audit event (the hash chain records acts); its record is
the ``authorisation_checks`` table, written in the check's own unit of work.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from pydantic import Field
from sqlalchemy import JSON, Table, insert
from sqlalchemy.orm import Session

from exportguard.db.models import AuthorisationCheck
from exportguard.domain.access import Action, Actor, require
from exportguard.domain.authorisation import (
    Drawn,
    PermitFacts,
    Proposal,
    ProposedLine,
    Reason,
    Verdict,
    choose_version,
)
from exportguard.domain.messages import Said
from exportguard.services.border.circumstances import Circumstances, circumstances_of, decide
from exportguard.services.border.permit_facts import drawn_on, versions_of
from exportguard.services.border.read_model import PermitReadModel
from exportguard.services.kernel.bulk_writes import write_rows
from exportguard.services.kernel.common import (
    Amount,
    CountryCodeStr,
    Input,
    NonEmpty,
    Quantity,
    RecordId,
    View,
)
from exportguard.services.kernel.unit_of_work import UnitOfWork
from exportguard.services.parties.diversion_flags import FlagView

CHECKS = cast(Table, AuthorisationCheck.__table__)
RECORD_CHECK = insert(CHECKS).returning(CHECKS.c.id)


class CheckLineInput(Input):
    line_no: int | None = Field(default=None, ge=1, description="Permit line number")
    item_code: str | None = Field(
        default=None, max_length=64, description="Export Control List item, e.g. 2-15"
    )
    product_id: RecordId | None = None
    quantity: Quantity
    value: Amount | None = Field(default=None, description="Declared value; default quantity x unit value")


class CheckInput(Input):
    permit: NonEmpty = Field(max_length=64, description="Permit number as presented (or its id)")
    shipped_on: date
    destination: CountryCodeStr | None = None
    consignee: str | None = Field(default=None, description="Consignee's name or party id")
    lines: list[CheckLineInput] = Field(min_length=1)


class RecordedReason(View):
    """A reason as the check's record keeps it: its code, field and English words."""

    code: str
    field: str
    message: str


class ReasonView(RecordedReason):
    # The message as a code with its parameters (domain/messages.py): stable for programs, and what
    # the edges say in the reader's language.
    message_code: str | None = None
    params: dict[str, str | int] = {}
    said: Said | None = Field(default=None, exclude=True, repr=False)

    @classmethod
    def of(cls, reason: Reason) -> ReasonView:
        said = reason.said
        return cls(
            code=reason.code.value,
            field=reason.field,
            message=reason.message,
            message_code=said.code if said else None,
            params={k: v if isinstance(v, int) else str(v) for k, v in said.params} if said else {},
            said=said,
        )


class CheckAnswer(View):
    check_id: int | None = None
    permit: str
    permit_id: int | None
    permit_version: str | None
    shipped_on: date
    authorised: bool
    reasons: list[ReasonView]
    asked_by: str
    asked_at: datetime
    # Shown beside the verdict, not in it: a diversion flag does not itself revoke a permit.
    diversion_flags: list[FlagView] = []


def proposal_of(data: CheckInput) -> Proposal:
    return Proposal(
        data.shipped_on,
        tuple(
            ProposedLine(
                ln.quantity,
                line_no=ln.line_no,
                item_code=ln.item_code,
                product_id=ln.product_id,
                value=ln.value,
            )
            for ln in data.lines
        ),
        destination=data.destination,
        consignee=data.consignee,
    )


@dataclass(frozen=True)
class Answered:
    data: CheckInput
    permit: PermitFacts | None
    verdict: Verdict
    flags: tuple[FlagView, ...] = ()


def _answered(
    data: CheckInput, permit: PermitFacts | None, drawn: Mapping[int, Drawn], circumstances: Circumstances
) -> Answered:
    answer = decide(permit, proposal_of(data), drawn, circumstances, presented=data.permit)
    return Answered(data, permit, answer.verdict, answer.flags)


def answer_from_database(session: Session, actor: Actor, data: CheckInput) -> Answered:
    permit = choose_version(versions_of(session, actor, data.permit), data.shipped_on)
    drawn = drawn_on(session, permit) if permit else {}
    return _answered(data, permit, drawn, circumstances_of(session, actor, [permit]))


def answer_from_model(
    model: PermitReadModel, actor: Actor, data: CheckInput, circumstances: Circumstances
) -> Answered:
    """From the read model's permit facts and balances; ``circumstances`` must be those of the
    permit presented (or of every permit asked about: ``circumstances_of``)."""
    permit = model.permit(actor, data.permit, data.shipped_on)
    drawn = model.drawn(permit) if permit else {}
    return _answered(data, permit, drawn, circumstances)


def check_row(actor: Actor, asked_at: datetime, a: Answered) -> dict[str, Any]:
    return {
        "asked_at": asked_at,
        "principal": actor.principal,
        "role": actor.role.value,
        "permit_ref": a.data.permit[:64],
        "permit_id": a.permit.id if a.permit else None,
        "shipped_on": a.data.shipped_on,
        "question": a.data.model_dump(mode="json", exclude_none=True),
        "authorised": a.verdict.authorised,
        "reasons": [
            {"code": r.code.value, "field": r.field, "message": r.message} for r in a.verdict.reasons
        ],
    }


def answer_view(actor: Actor, asked_at: datetime, a: Answered, check_id: int | None) -> CheckAnswer:
    return CheckAnswer(
        check_id=check_id,
        permit=a.data.permit,
        permit_id=a.permit.id if a.permit else None,
        permit_version=a.permit.ref if a.permit else None,
        shipped_on=a.data.shipped_on,
        authorised=a.verdict.authorised,
        reasons=[ReasonView.of(r) for r in a.verdict.reasons],
        asked_by=actor.principal,
        asked_at=asked_at,
        diversion_flags=list(a.flags),
    )


def check_authorisation(
    uow: UnitOfWork, data: CheckInput, read_model: PermitReadModel | None = None
) -> CheckAnswer:
    """Answer the question and record it (one unit of work, one commit)."""
    uow.require(Action.CHECK_AUTHORISATION)
    asked_at = uow.clock.now()
    if read_model is None:
        answered = answer_from_database(uow.session, uow.actor, data)
    else:
        permit = read_model.permit(uow.actor, data.permit, data.shipped_on)
        drawn = read_model.drawn(permit) if permit else {}
        answered = _answered(data, permit, drawn, circumstances_of(uow.session, uow.actor, [permit]))
    # A Core INSERT ... RETURNING on the table: the border asks often, and neither the ORM's flush
    # nor its bulk-insert path (taken when the statement names the mapped class) adds anything here.
    check_id = uow.session.scalar(RECORD_CHECK, check_row(uow.actor, asked_at, answered))
    uow.commit()
    return answer_view(uow.actor, asked_at, answered, check_id)


# Every column but the id, in the table's order: the batch path writes rows as tuples in this order.
RECORDED = tuple(c.name for c in CHECKS.columns if c.name != "id")
_JSON_COLUMNS = frozenset(c.name for c in CHECKS.columns if isinstance(c.type, JSON))


def record_checks(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Record many answered checks in one go (the batch path: files and benchmarks).

    On PostgreSQL one ``COPY ... FROM STDIN`` per batch (bulk_writes.write_rows): an ``executemany``
    of the INSERT went out as one statement per row, which cost the database (and the driver) more
    than answering the checks. JSON columns go to COPY as their text.
    """
    postgres = session.connection().dialect.name == "postgresql"
    as_text = _JSON_COLUMNS if postgres else frozenset()
    write_rows(
        session,
        CHECKS,
        RECORDED,
        ([json.dumps(row.get(c)) if c in as_text else row.get(c) for c in RECORDED] for row in rows),
    )


def may_check(actor: Actor) -> None:
    require(actor, Action.CHECK_AUTHORISATION)
