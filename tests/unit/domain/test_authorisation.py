"""The border's check, rule by rule: every reason an export is not authorised, with its date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from exportguard.domain.authorisation import (
    Drawn,
    LicensedLine,
    PermitFacts,
    Proposal,
    ProposedLine,
    ReasonCode,
    Verdict,
    assess,
    choose_version,
)
from exportguard.domain.permits import PermitCommand, PermitState, StateChange
from exportguard.domain.policy import Measure, MeasureKind

S, C = PermitState, PermitCommand
ISSUED = StateChange(S.ACTIVE, C.ISSUE, date(2020, 5, 22))
SUSPENDED = StateChange(S.SUSPENDED, C.SUSPEND, date(2020, 10, 5))
CANCELLED = StateChange(S.CANCELLED, C.CANCEL, date(2021, 4, 12))


def permit(*history: StateChange, version: int = 1) -> PermitFacts:
    return PermitFacts(
        id=version,
        number="EXP-2020-104513",
        version=version,
        holder_id=1,
        consignee_id=2,
        consignee="Baykar",
        destination="TR",
        issued_on=date(2020, 5, 22),
        valid_from=date(2020, 5, 22),
        valid_to=date(2021, 6, 30),
        history=history or (ISSUED,),
        lines=(
            LicensedLine(1, 11, "2-15", 100, 3, Decimal("1200000.00"), "CAD"),
            LicensedLine(2, 12, "2-21", 101, 7, Decimal("85000.00"), "CAD"),
        ),
    )


def ask(
    day: date, *lines: ProposedLine, destination: str | None = "TR", consignee: str | None = "Baykar"
) -> Proposal:
    return Proposal(day, lines or (ProposedLine(1, line_no=1),), destination=destination, consignee=consignee)


def judge(
    permit: PermitFacts | None, proposal: Proposal, drawn: dict[int, Drawn], *, presented: str = ""
) -> Verdict:
    """The rule with no destination measure in force (holds are tested on their own below)."""
    return assess(permit, proposal, drawn, measures=(), presented=presented)


def codes(verdict: object) -> list[ReasonCode]:
    return [r.code for r in verdict.reasons]  # type: ignore[attr-defined]


def test_authorised_when_everything_matches() -> None:
    verdict = judge(permit(), ask(date(2020, 9, 15), ProposedLine(2, item_code="2-15")), {1: Drawn(1)})
    assert verdict.authorised and verdict.reasons == ()
    assert [(d.line_no, d.quantity, d.value) for d in verdict.drawdowns] == [(1, 2, Decimal("2400000.00"))]


@pytest.mark.parametrize(
    ("history", "day", "code", "message"),
    [
        ((ISSUED, SUSPENDED), date(2020, 10, 10), ReasonCode.SUSPENDED, "suspended on 2020-10-05"),
        ((ISSUED, SUSPENDED, CANCELLED), date(2021, 5, 1), ReasonCode.CANCELLED, "cancelled on 2021-04-12"),
        ((ISSUED,), date(2021, 7, 1), ReasonCode.EXPIRED, "expired on 2021-07-01 (valid to 2021-06-30)"),
        ((ISSUED,), date(2020, 5, 1), ReasonCode.NOT_YET_VALID, "not yet issued on 2020-05-01"),
    ],
)
def test_the_permit_must_be_in_force_on_the_day(
    history: tuple[StateChange, ...], day: date, code: ReasonCode, message: str
) -> None:
    verdict = judge(permit(*history), ask(day), {})
    assert not verdict.authorised
    assert codes(verdict) == [code]
    assert message in verdict.reasons[0].message
    assert verdict.reasons[0].field == "shipped_on"


def test_no_permit() -> None:
    verdict = judge(None, ask(date(2020, 9, 15)), {}, presented="EXP-404")
    assert [(r.code, r.field, r.message) for r in verdict.reasons] == [
        (ReasonCode.NO_PERMIT, "permit", "no permit EXP-404")
    ]


def test_every_reason_is_given_at_once() -> None:
    verdict = judge(
        permit(ISSUED, SUSPENDED),
        ask(
            date(2020, 10, 10),
            ProposedLine(1, item_code="2-5"),
            ProposedLine(1, product_id=999),
            ProposedLine(9, line_no=1),
            ProposedLine(1, value=Decimal("900000.00"), line_no=2),
            ProposedLine(0, line_no=2),
            destination="AZ",
            consignee="Someone Else",
        ),
        {2: Drawn(7, Decimal("595000.00"))},
    )
    assert codes(verdict) == [
        ReasonCode.SUSPENDED,
        ReasonCode.DESTINATION_DIFFERS,
        ReasonCode.CONSIGNEE_DIFFERS,
        ReasonCode.ITEM_NOT_ON_PERMIT,
        ReasonCode.PRODUCT_NOT_ON_PERMIT,
        ReasonCode.QUANTITY_NOT_POSITIVE,
        ReasonCode.QUANTITY_ABOVE_REMAINING,
        ReasonCode.QUANTITY_ABOVE_REMAINING,
    ]
    fields = [r.field for r in verdict.reasons]
    assert fields[:5] == [
        "shipped_on",
        "destination",
        "consignee",
        "lines[0].item_code",
        "lines[1].product_id",
    ]
    assert verdict.reasons[-2].message == "quantity 9 is above the 3 remaining on line 1"
    assert verdict.reasons[-1].message == "quantity 1 is above the 0 remaining on line 2"


def test_declared_value_counts_against_the_licensed_value() -> None:
    verdict = judge(
        permit(), ask(date(2020, 9, 15), ProposedLine(1, line_no=1, value=Decimal("3600000.01"))), {}
    )
    assert codes(verdict) == [ReasonCode.VALUE_ABOVE_REMAINING]
    assert verdict.reasons[0].message == "value 3600000.01 CAD is above the 3600000.00 remaining on line 1"


def test_consignee_by_id_or_name_any_case_and_lines_by_goods() -> None:
    ok = judge(permit(), ask(date(2020, 9, 15), ProposedLine(1, product_id=101), consignee="2"), {})
    assert ok.authorised and ok.drawdowns[0].line_no == 2
    assert judge(permit(), ask(date(2020, 9, 15), consignee="BAYKAR"), {}).authorised
    vague = judge(permit(), ask(date(2020, 9, 15), ProposedLine(1)), {})
    assert codes(vague) == [ReasonCode.NO_SUCH_LINE]
    wrong_line = judge(permit(), ask(date(2020, 9, 15), ProposedLine(1, line_no=2, item_code="2-15")), {})
    assert codes(wrong_line) == [ReasonCode.ITEM_NOT_ON_PERMIT]


def test_two_lines_on_one_permit_line_are_added_up() -> None:
    verdict = judge(
        permit(), ask(date(2020, 9, 15), ProposedLine(2, line_no=1), ProposedLine(2, line_no=1)), {}
    )
    assert verdict.reasons[0].message == "quantity 4 is above the 3 remaining on line 1"


def test_the_version_in_force_on_the_day_answers() -> None:
    v1 = permit(ISSUED, StateChange(S.SUPERSEDED, C.AMEND, date(2020, 8, 1)), version=1)
    v2 = permit(StateChange(S.ACTIVE, C.AMEND, date(2020, 8, 1)), version=2)
    assert choose_version([v1, v2], date(2020, 7, 1)) is v1
    assert choose_version([v1, v2], date(2020, 9, 1)) is v2
    assert choose_version([], date(2020, 9, 1)) is None
    superseded = judge(v1, ask(date(2020, 9, 1)), {})
    assert [r.message for r in superseded.reasons] == ["superseded on 2020-08-01"]


MORATORIUM = Measure(
    key="TR-2019-MORATORIUM",
    version=1,
    destination="TR",
    kind=MeasureKind.NO_NEW_PERMITS,
    title="Turkey: no new export permits",
    legal_basis="EIPA s.7 policy",
    effective_from=date(2019, 10, 11),
    effective_to=date(2020, 4, 16),
    holds_existing_permits=True,
)


def test_a_permit_issued_before_a_moratorium_is_on_hold_while_it_is_in_force() -> None:
    """Notice to Exporters No. 992: permits issued before 11 Oct 2019 "may be used again" from 16 Apr 2020."""
    day = date(2019, 3, 4)
    early = replace(permit(StateChange(S.ACTIVE, C.ISSUE, day)), issued_on=day, valid_from=day)
    held = assess(early, ask(date(2019, 12, 10)), {}, measures=[MORATORIUM])
    assert codes(held) == [ReasonCode.ON_HOLD] and not held.authorised
    assert "TR-2019-MORATORIUM/v1" in held.reasons[0].message and "2020-04-16" in held.reasons[0].message
    assert assess(early, ask(date(2020, 4, 16)), {}, measures=[MORATORIUM]).authorised
    assert assess(early, ask(date(2019, 12, 10)), {}, measures=()).authorised  # the measure decides
    # Issued after the halt began: not held by it (a moratorium stops new permits at their issue).
    endless = replace(MORATORIUM, effective_to=None)
    assert assess(permit(), ask(date(2020, 9, 15)), {}, measures=[endless]).authorised
