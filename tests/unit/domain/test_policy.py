"""Determination rules: ECL s.2, GEP 41, each measure kind, lifting, and the exception rules."""

from __future__ import annotations

from datetime import date

import pytest

from exportguard.domain.access import Role
from exportguard.domain.errors import Conflict, InvalidInput, NotPermitted
from exportguard.domain.general_permits import period_of, periods_due
from exportguard.domain.policy import (
    ExceptionClaim,
    GeneralPermit,
    Measure,
    MeasureKind,
    Outcome,
    ProposedExport,
    check_decision,
    determine,
    validate_measure,
)

GEP = GeneralPermit("GEP-41", "SOR/2015-200", frozenset({1}), frozenset({"TR", "DE"}))
NTE_992 = Measure(
    "TR-NTE-992",
    1,
    "TR",
    MeasureKind.PRESUMPTIVE_DENIAL,
    "Notice 992",
    "NTE 992",
    date(2020, 4, 16),
    date(2024, 1, 29),
    item_groups=(2,),
    exception_grounds=("NATO cooperation programs",),
    exception_authority=Role.MINISTER,
)
MORATORIUM = Measure(
    "TR-M", 1, "TR", MeasureKind.NO_NEW_PERMITS, "m", "stmt", date(2019, 10, 11), date(2020, 4, 16)
)
EMBARGO = Measure("XX-E", 1, "KP", MeasureKind.ARMS_EMBARGO, "e", "UN Act", date(2017, 1, 1))
ACL = Measure("KP-ACL", 1, "KP", MeasureKind.AREA_CONTROL, "acl", "EIPA s.4", date(2017, 6, 20))
MEASURES = (NTE_992, MORATORIUM, EMBARGO, ACL)


def _determine(dest: str, *items: str, day: date = date(2020, 5, 19), registered: bool = False) -> Outcome:
    export = ProposedExport(dest, items, day, exporter_gep41_registered=registered)
    return determine(export, MEASURES, GEP).outcome


def test_outcomes_by_rule() -> None:
    assert _determine("US", "2-15") is Outcome.NO_PERMIT_REQUIRED
    assert _determine("US", "2-1") is Outcome.PROCEED  # ECL s.2: 2-1 needs a permit even to the US
    assert _determine("TR", "2-15") is Outcome.NEEDS_EXCEPTION
    assert _determine("TR", "2-15", day=date(2019, 12, 1)) is Outcome.NO_NEW_PERMITS
    assert _determine("TR", "2-15", day=date(2024, 1, 29)) is Outcome.PROCEED
    assert _determine("KP", "2-15") is Outcome.PROHIBITED
    assert _determine("DE", "1-6.A.3") is Outcome.PROCEED
    assert _determine("DE", "1-6.A.3", registered=True) is Outcome.GENERAL_PERMIT
    assert (
        _determine("TR", "1-6.A.3", registered=True) is Outcome.GENERAL_PERMIT
    )  # NTE 992 covers Group 2 only


def test_trace_names_every_rule_that_fired() -> None:
    found = determine(ProposedExport("TR", ("2-15",), date(2020, 5, 19)), MEASURES, GEP)
    assert [t.rule for t in found.trace] == ["ECL s.2", "NTE 992"]
    assert found.exception_authority is Role.MINISTER and found.applicable_measures == ("TR-NTE-992/v1",)


def test_lifting_ends_a_measure() -> None:
    lift = Measure("TR-L", 1, "TR", MeasureKind.LIFTING, "l", "x", date(2021, 1, 1), lifts="TR-NTE-992")
    found = determine(ProposedExport("TR", ("2-15",), date(2021, 2, 1)), (*MEASURES, lift), GEP)
    assert found.outcome is Outcome.PROCEED
    assert (
        validate_measure(Measure("B", 1, "TR", MeasureKind.LIFTING, "l", "x", date(2021, 1, 1)))[0].field
        == "lifts"
    )


def test_exceptions_need_ground_justification_and_authority() -> None:
    found = determine(ProposedExport("TR", ("2-15",), date(2020, 5, 19)), MEASURES, GEP)
    good = ExceptionClaim("TR-NTE-992", "NATO cooperation programs", "allied program")
    check_decision(found, good, Role.MINISTER)
    with pytest.raises(Conflict):
        check_decision(found, None, Role.MINISTER)
    with pytest.raises(InvalidInput):
        check_decision(found, ExceptionClaim("TR-NTE-992", "friendship", "x"), Role.MINISTER)
    with pytest.raises(InvalidInput):
        check_decision(found, ExceptionClaim("TR-NTE-992", "NATO cooperation programs", " "), Role.MINISTER)
    with pytest.raises(NotPermitted):
        check_decision(found, good, Role.DIRECTOR)
    embargo = determine(ProposedExport("KP", ("2-15",), date(2020, 5, 19)), MEASURES, GEP)
    with pytest.raises(Conflict):
        check_decision(embargo, None, Role.MINISTER)


def test_gep41_report_periods() -> None:
    assert (period_of(date(2020, 5, 1)).end, period_of(date(2020, 5, 1)).due) == (
        date(2020, 7, 31),
        date(2020, 8, 30),
    )
    assert period_of(date(2021, 1, 10)).end == date(2021, 1, 31)
    due = periods_due({2020}, {date(2020, 7, 31)}, date(2021, 3, 1))
    assert [p.end for p in due] == [date(2020, 1, 31), date(2021, 1, 31)]
