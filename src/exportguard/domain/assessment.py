"""The assessment of an application under EIPA s.7.3 and s.7.4, and the decision on it.

Six mandatory considerations (s.7.3(1)), each with a finding before and after the mitigating
measures considered (s.7.4), plus diversion risk (ATT Art. 11) and departmental advice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from exportguard.domain.errors import Conflict, InvalidInput, Problem, SubstantialRisk


class Consideration(StrEnum):
    PEACE_AND_SECURITY = "peace_and_security"
    IHL = "ihl"
    IHRL = "ihrl"
    TERRORISM = "terrorism"
    ORGANIZED_CRIME = "organized_crime"
    GENDER_BASED_VIOLENCE = "gender_based_violence"


# Where each consideration sits in the Act, for reasons printed in decisions and reports.
CITATIONS: dict[Consideration, str] = {
    Consideration.PEACE_AND_SECURITY: "EIPA s.7.3(1)(a) peace and security",
    Consideration.IHL: "EIPA s.7.3(1)(b)(i) international humanitarian law",
    Consideration.IHRL: "EIPA s.7.3(1)(b)(ii) international human rights law",
    Consideration.TERRORISM: "EIPA s.7.3(1)(b)(iii) terrorism",
    Consideration.ORGANIZED_CRIME: "EIPA s.7.3(1)(b)(iv) transnational organized crime",
    Consideration.GENDER_BASED_VIOLENCE: "EIPA s.7.3(1)(b)(v) gender-based violence and violence "
    "against women and children",
}


class Risk(StrEnum):
    NO_RISK = "no_risk"
    LOW = "low"
    SUBSTANTIAL = "substantial"


class Advice(StrEnum):
    NO_OBJECTION = "no_objection"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions"
    OBJECT = "object"


class Recommendation(StrEnum):
    ISSUE = "issue"
    DENY = "deny"


class DenialReason(StrEnum):
    """Grounds recorded with a denial, for the annual report's table of denials."""

    PEACE_AND_SECURITY = "peace_and_security"
    IHL = "ihl"
    IHRL = "ihrl"
    TERRORISM = "terrorism"
    ORGANIZED_CRIME = "organized_crime"
    GENDER_BASED_VIOLENCE = "gender_based_violence"
    DIVERSION = "diversion"
    SANCTIONS = "sanctions"
    SECURITY = "security"
    DESTINATION_POLICY = "destination_policy"


@dataclass(frozen=True)
class Finding:
    consideration: Consideration
    risk: Risk
    residual_risk: Risk
    rationale: str
    evidence: tuple[str, ...] = ()


_ORDER = {Risk.NO_RISK: 0, Risk.LOW: 1, Risk.SUBSTANTIAL: 2}


def validate_finding(finding: Finding, *, field: str) -> None:
    if not finding.rationale.strip():
        raise InvalidInput.of(f"{field}.rationale", "a rationale is required for every finding")
    if _ORDER[finding.residual_risk] > _ORDER[finding.risk]:
        raise InvalidInput.of(
            f"{field}.residual_risk",
            "mitigation cannot raise a risk: the residual risk is above the risk before mitigation",
        )


def missing_considerations(findings: Iterable[Finding]) -> list[Consideration]:
    have = {f.consideration for f in findings}
    return [c for c in Consideration if c not in have]


def residual_substantial(findings: Iterable[Finding]) -> list[Consideration]:
    """EIPA s.7.4: the considerations where a substantial risk remains after mitigation."""
    return [f.consideration for f in findings if f.residual_risk is Risk.SUBSTANTIAL]


def check_can_approve(
    findings: Iterable[Finding],
    *,
    military: bool,
    diversion_risk: Risk | None,
    advice: Mapping[str, Advice],
) -> None:
    """Refuse approval unless the assessment is complete and no substantial risk remains."""
    findings = list(findings)
    if military:
        missing = missing_considerations(findings)
        if missing:
            raise Conflict(
                "EIPA s.7.3(1): every mandatory consideration must be assessed before a decision",
                [Problem(f"assessment.findings.{c.value}", "not assessed") for c in missing],
            )
    blocking = residual_substantial(findings)
    if blocking:
        raise SubstantialRisk(
            "EIPA s.7.4: the permit shall not be issued while a substantial risk remains after mitigation",
            [
                Problem(f"assessment.findings.{c.value}", f"{CITATIONS[c]}: substantial risk remains")
                for c in blocking
            ],
        )
    if diversion_risk is Risk.SUBSTANTIAL:
        raise SubstantialRisk(
            "ATT Art. 11: a substantial risk of diversion remains",
            [Problem("assessment.diversion_risk", "substantial risk of diversion")],
        )
    del advice  # Advice informs the decision; an objection is recorded, not a veto.


def check_denial_reasons(reasons: Iterable[DenialReason]) -> None:
    if not list(reasons):
        raise InvalidInput.of("reasons", "a denial must record at least one reason (criterion)")
