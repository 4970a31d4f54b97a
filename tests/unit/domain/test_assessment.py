"""EIPA s.7.3 / s.7.4 rules of the assessment (pure)."""

from __future__ import annotations

import pytest

from exportguard.domain.assessment import (
    Consideration,
    DenialReason,
    Finding,
    Risk,
    check_can_approve,
    check_denial_reasons,
    residual_substantial,
    validate_finding,
)
from exportguard.domain.errors import Conflict, InvalidInput, SubstantialRisk


def _all(risk: Risk, residual: Risk) -> list[Finding]:
    return [Finding(c, risk, residual, "reasoned") for c in Consideration]


def test_substantial_risk_mitigated_to_low_can_be_approved() -> None:
    check_can_approve(_all(Risk.SUBSTANTIAL, Risk.LOW), military=True, diversion_risk=Risk.LOW, advice={})


def test_substantial_risk_remaining_after_mitigation_blocks_the_permit() -> None:
    findings = _all(Risk.LOW, Risk.LOW)
    findings[1] = Finding(Consideration.IHL, Risk.SUBSTANTIAL, Risk.SUBSTANTIAL, "credible reports")
    assert residual_substantial(findings) == [Consideration.IHL]
    with pytest.raises(SubstantialRisk) as err:
        check_can_approve(findings, military=True, diversion_risk=Risk.NO_RISK, advice={})
    assert err.value.status == 409
    assert [p.field for p in err.value.problems] == ["assessment.findings.ihl"]


def test_substantial_diversion_risk_blocks_the_permit() -> None:
    with pytest.raises(SubstantialRisk, match="diversion"):
        check_can_approve(_all(Risk.LOW, Risk.LOW), military=True, diversion_risk=Risk.SUBSTANTIAL, advice={})


def test_military_goods_need_every_consideration() -> None:
    with pytest.raises(Conflict) as err:
        check_can_approve(_all(Risk.LOW, Risk.LOW)[:4], military=True, diversion_risk=None, advice={})
    assert [p.field for p in err.value.problems] == [
        "assessment.findings.organized_crime",
        "assessment.findings.gender_based_violence",
    ]
    check_can_approve([], military=False, diversion_risk=None, advice={})


def test_mitigation_cannot_raise_a_risk_and_rationale_is_required() -> None:
    with pytest.raises(InvalidInput, match="residual_risk"):
        validate_finding(Finding(Consideration.IHL, Risk.LOW, Risk.SUBSTANTIAL, "x"), field="findings[0]")
    with pytest.raises(InvalidInput, match="rationale"):
        validate_finding(Finding(Consideration.IHL, Risk.LOW, Risk.LOW, " "), field="findings[0]")


def test_denial_needs_a_reason() -> None:
    check_denial_reasons([DenialReason.DIVERSION])
    with pytest.raises(InvalidInput):
        check_denial_reasons([])
