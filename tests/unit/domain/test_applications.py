"""Application lifecycle table and the EPR s.3 submission checks (pure)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from exportguard.domain.applications import (
    TRANSITIONS,
    ApplicationCommand,
    ApplicationContent,
    ApplicationState,
    DocumentKind,
    LineContent,
    PartyContent,
    PartyRole,
    check_submittable,
    next_state,
    problems_at_submission,
)
from exportguard.domain.errors import ApplicationIncomplete, IllegalTransition

A, AC = ApplicationState, ApplicationCommand
EXPECTED = {
    (A.DRAFT, AC.EDIT): A.DRAFT,
    (A.DRAFT, AC.SUBMIT): A.SUBMITTED,
    (A.DRAFT, AC.WITHDRAW): A.WITHDRAWN,
    (A.SUBMITTED, AC.BEGIN_REVIEW): A.UNDER_REVIEW,
    (A.SUBMITTED, AC.WITHDRAW): A.WITHDRAWN,
    (A.UNDER_REVIEW, AC.APPROVE): A.APPROVED,
    (A.UNDER_REVIEW, AC.DENY): A.DENIED,
    (A.UNDER_REVIEW, AC.WITHDRAW): A.WITHDRAWN,
    (A.APPROVED, AC.NEW_VERSION): A.APPROVED,
}


@pytest.mark.parametrize("state", list(ApplicationState))
@pytest.mark.parametrize("command", list(ApplicationCommand))
def test_every_pair(state: ApplicationState, command: ApplicationCommand) -> None:
    assert TRANSITIONS == EXPECTED
    if (state, command) in EXPECTED:
        assert next_state(state, command) is EXPECTED[(state, command)]
    else:
        with pytest.raises(IllegalTransition):
            next_state(state, command)


def _party(role: PartyRole, country: str, name: str = "Org") -> PartyContent:
    return PartyContent(role, 1, name, country, "1 Main Street")


COMPLETE = ApplicationContent(
    parties=(
        _party(PartyRole.APPLICANT, "CA"),
        _party(PartyRole.EXPORTER, "CA"),
        _party(PartyRole.CONSIGNEE, "TR", "Baykar"),
        _party(PartyRole.END_USER, "TR"),
    ),
    destination="TR",
    end_use="Integration on unmanned aircraft",
    end_use_location="Turkey",
    lines=(
        LineContent(
            1,
            "2-15",
            "MX-15D EO/IR imaging and laser designation turret",
            7,
            "unit",
            Decimal("1500000.00"),
            "CAD",
            "CA",
            Decimal(0),
            frozenset({"2-15", "2-5"}),
            "MX-15D",
        ),
    ),
    documents=frozenset({DocumentKind.END_USE_CERTIFICATE, DocumentKind.CONTROLLED_GOODS_REGISTRATION}),
    no_diversion_declared=True,
    requested_valid_from=date(2020, 5, 1),
    requested_valid_to=date(2021, 6, 30),
    known_countries=frozenset({"CA", "TR", "US"}),
)


def test_complete_application_passes() -> None:
    assert problems_at_submission(COMPLETE) == []
    check_submittable(COMPLETE)


def test_every_problem_is_listed_at_once() -> None:
    bad_line = dataclasses.replace(
        COMPLETE.lines[0],
        item_code="2-5x",
        description="MX-15D",
        quantity=0,
        unit_value=Decimal(0),
        currency="cad",
        us_content_percent=Decimal(12),
    )
    app = dataclasses.replace(
        COMPLETE,
        parties=(_party(PartyRole.APPLICANT, "CA"), _party(PartyRole.CONSIGNEE, "AZ", "Elsewhere")),
        end_use=" ",
        lines=(bad_line,),
        documents=frozenset(),
        no_diversion_declared=False,
        requested_valid_to=date(2020, 4, 1),
    )
    with pytest.raises(ApplicationIncomplete) as err:
        check_submittable(app)
    fields = [p.field for p in err.value.problems]
    assert fields == [
        "parties.exporter",
        "parties.end_user",
        "parties.consignee.country",
        "end_use",
        "lines[1].item_code",
        "lines[1].description",
        "lines[1].quantity",
        "lines[1].unit_value",
        "lines[1].currency",
        "documents",
        "documents",
        "no_diversion_declared",
        "requested_valid_to",
    ]
    assert "EPR s.3(3)(c)" in str(err.value)


def test_item_must_match_the_products_classification() -> None:
    line = dataclasses.replace(COMPLETE.lines[0], item_code="2-10")
    problems = problems_at_submission(dataclasses.replace(COMPLETE, lines=(line,)))
    assert [(p.field, p.message) for p in problems] == [
        ("lines[1].item_code", "MX-15D is classified under 2-15, 2-5, not 2-10")
    ]


def test_military_goods_need_an_end_user_and_cgp_registration() -> None:
    app = dataclasses.replace(
        COMPLETE, parties=COMPLETE.parties[:3], documents=frozenset({DocumentKind.END_USE_STATEMENT})
    )
    assert [p.field for p in problems_at_submission(app)] == ["parties.end_user", "documents"]


def test_applicant_must_be_resident_in_canada() -> None:
    app = dataclasses.replace(COMPLETE, parties=(_party(PartyRole.APPLICANT, "US"), *COMPLETE.parties[1:]))
    assert [p.field for p in problems_at_submission(app)] == ["parties.applicant.country"]
