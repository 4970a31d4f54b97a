"""Destination measures and the determination of a proposed export, with a trace of every rule.

Measures are not statutory except the Area Control List (EIPA s.4): moratoria, presumptive denials
and case-by-case reviews are set by ministerial statements and notices to exporters (regime-facts
8). A measure is in force from ``effective_from`` up to, but not including, ``effective_to``; a
``lifting`` measure ends the measure it names from its own start. Pure rules: the date, the
measures in force and the exporter's general-permit registrations are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from exportguard.domain import reference
from exportguard.domain.access import Role
from exportguard.domain.errors import Conflict, InvalidInput, NotPermitted, Problem


class MeasureKind(StrEnum):
    AREA_CONTROL = "area_control"  # EIPA s.4: any export to the country needs a permit
    ARMS_EMBARGO = "arms_embargo"  # ATT Art. 6(1), UN Act / SEMA: no permit may be issued
    NO_NEW_PERMITS = "no_new_permits"  # moratorium: no permit issued while in force
    PRESUMPTIVE_DENIAL = "presumptive_denial"  # denied unless a named exception ground applies
    CASE_BY_CASE = "case_by_case"  # assessed on its merits under EIPA s.7.3
    LIFTING = "lifting"  # ends the measure named in ``lifts``


class Outcome(StrEnum):
    NO_PERMIT_REQUIRED = "no_permit_required"
    GENERAL_PERMIT = "covered_by_general_permit"
    PROCEED = "proceed_to_assessment"
    NEEDS_EXCEPTION = "needs_exception"
    NO_NEW_PERMITS = "no_new_permits"
    PROHIBITED = "prohibited"


# Severity order: the determination's outcome is the most severe one any rule gives.
SEVERITY: tuple[Outcome, ...] = tuple(Outcome)

# Who may grant an exception: a level includes those above it (a minister may do what a director may).
AUTHORITY_LEVELS: tuple[Role, ...] = (Role.OFFICER, Role.DIRECTOR, Role.MINISTER)


@dataclass(frozen=True)
class Measure:
    key: str
    version: int
    destination: str
    kind: MeasureKind
    title: str
    legal_basis: str
    effective_from: date
    effective_to: date | None = None
    item_groups: tuple[int, ...] = ()
    item_codes: tuple[str, ...] = ()
    exception_grounds: tuple[str, ...] = ()
    exception_authority: Role | None = None
    lifts: str | None = None
    source: str = ""
    # Permits issued before the measure took effect are on hold while it is in force.
    holds_existing_permits: bool = False

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    def covers(self, item_code: str) -> bool:
        """A measure naming no group or item covers every item; else the groups and items named."""
        if not self.item_groups and not self.item_codes:
            return True
        if reference.group_of(item_code) in self.item_groups:
            return True
        return any(item_code == c or item_code.startswith(c + ".") for c in self.item_codes)

    @property
    def ref(self) -> str:
        return f"{self.key}/v{self.version}"


def validate_measure(m: Measure) -> list[Problem]:
    """Everything wrong with a measure, each problem naming its field."""
    problems: list[Problem] = []
    if m.effective_to is not None and m.effective_to <= m.effective_from:
        problems.append(Problem("effective_to", f"{m.effective_to} is not after {m.effective_from}"))
    if m.kind is MeasureKind.PRESUMPTIVE_DENIAL and not m.exception_grounds:
        problems.append(Problem("exception_grounds", "a presumptive denial names its exception grounds"))
    # No level named: the Minister, who holds the EIPA s.7 power, grants the exception.
    if m.exception_authority is not None and m.exception_authority not in AUTHORITY_LEVELS:
        problems.append(
            Problem("exception_authority", f"must be one of {[r.value for r in AUTHORITY_LEVELS]}")
        )
    if (m.kind is MeasureKind.LIFTING) != (m.lifts is not None):
        problems.append(Problem("lifts", "a lifting names the measure it lifts, and only a lifting does"))
    return problems


@dataclass(frozen=True)
class TraceEntry:
    """One rule that fired: its citation, what it concerned, and why."""

    rule: str
    subject: str
    finding: str


@dataclass(frozen=True)
class ProposedExport:
    destination: str
    item_codes: tuple[str, ...]
    day: date
    party_countries: tuple[str, ...] = ()
    exporter_gep41_registered: bool = False


@dataclass(frozen=True)
class Determination:
    permit_required: bool
    general_permit: str | None
    outcome: Outcome
    applicable_measures: tuple[str, ...]
    exception_measures: tuple[Measure, ...]
    trace: tuple[TraceEntry, ...]
    exception_authority: Role | None = None
    exception_grounds: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class GeneralPermit:
    """A general export permit (EIPA s.7(1.1)) by its groups and eligible destinations."""

    name: str
    instrument: str
    groups: frozenset[int]
    destinations: frozenset[str]


def measures_in_force(
    measures: Iterable[Measure], countries: Iterable[str] | None, day: date
) -> list[Measure]:
    """THE answer to "which measures are in force on ``day``" (on these countries; None: all),
    for the determination, the measures list and page, and the CLI alike (issue 11).

    A measure is in force from ``effective_from`` up to ``effective_to``, unless a lifting in force
    by then names it; a lifting itself restricts nothing and is not listed.
    """
    in_force = [m for m in measures if m.in_force(day)]
    lifted = {m.lifts for m in in_force if m.kind is MeasureKind.LIFTING}
    wanted = None if countries is None else set(countries)
    return [
        m
        for m in in_force
        if m.kind is not MeasureKind.LIFTING
        and m.key not in lifted
        and (wanted is None or m.destination in wanted)
    ]


def _worst(outcomes: Iterable[Outcome]) -> Outcome:
    return max(outcomes, key=SEVERITY.index)


def determine(export: ProposedExport, measures: Sequence[Measure], gep41: GeneralPermit) -> Determination:
    """Whether a permit is needed, whether a general permit covers it, and what policy says."""
    if not export.item_codes:
        raise InvalidInput.of("items", "name at least one Export Control List item or product")
    trace: list[TraceEntry] = []
    countries = (export.destination, *[c for c in export.party_countries if c != export.destination])
    in_force = measures_in_force(measures, countries, export.day)
    area_control = [m for m in in_force if m.kind is MeasureKind.AREA_CONTROL]
    required = []
    for code in export.item_codes:
        needs = reference.permit_required(code, export.destination)
        required.append(needs)
        why = "needs a permit" if needs else "needs no permit"
        trace.append(TraceEntry("ECL s.2", code, f"item {code} to {export.destination} {why}"))
    for m in area_control:
        trace.append(
            TraceEntry(
                "EIPA s.4 (Area Control List)",
                m.ref,
                f"{m.destination} is on the Area Control List: every export needs a permit",
            )
        )
    permit_required = any(required) or bool(area_control)
    outcomes = [Outcome.PROCEED if permit_required else Outcome.NO_PERMIT_REQUIRED]
    general = _general_permit(export, gep41, area_control, in_force, trace) if permit_required else None
    if general is not None:
        outcomes = [Outcome.GENERAL_PERMIT]
    exception_measures: list[Measure] = []
    for m in in_force:
        covered = [c for c in export.item_codes if m.covers(c)]
        if m.kind is MeasureKind.AREA_CONTROL or not covered:
            continue
        items = ", ".join(covered)
        if m.kind is MeasureKind.ARMS_EMBARGO:
            outcomes.append(Outcome.PROHIBITED)
            trace.append(
                TraceEntry(
                    m.legal_basis,
                    m.ref,
                    f"arms embargo on {m.destination} covers {items}: prohibited (ATT Art. 6(1))",
                )
            )
        elif m.kind is MeasureKind.NO_NEW_PERMITS:
            outcomes.append(Outcome.NO_NEW_PERMITS)
            trace.append(
                TraceEntry(
                    m.legal_basis,
                    m.ref,
                    f"no new permits for {m.destination} from {m.effective_from}: "
                    f"{items} cannot be approved while it is in force",
                )
            )
        elif m.kind is MeasureKind.PRESUMPTIVE_DENIAL:
            outcomes.append(Outcome.NEEDS_EXCEPTION)
            exception_measures.append(m)
            level = (m.exception_authority or Role.MINISTER).value
            grounds = "; ".join(m.exception_grounds)
            trace.append(
                TraceEntry(
                    m.legal_basis,
                    m.ref,
                    f"{items} presumptively denied for {m.destination}; "
                    f"exception grounds: {grounds}; granted by: {level}",
                )
            )
        elif m.kind is MeasureKind.CASE_BY_CASE:
            trace.append(
                TraceEntry(m.legal_basis, m.ref, f"{m.destination}: assessed case by case under EIPA s.7.3")
            )
    authority = _highest(m.exception_authority or Role.MINISTER for m in exception_measures)
    return Determination(
        permit_required=permit_required,
        general_permit=general,
        outcome=_worst(outcomes),
        applicable_measures=tuple(m.ref for m in in_force),
        exception_measures=tuple(exception_measures),
        trace=tuple(trace),
        exception_authority=authority,
        exception_grounds=tuple(g for m in exception_measures for g in m.exception_grounds),
    )


def _general_permit(
    export: ProposedExport,
    gep: GeneralPermit,
    area_control: list[Measure],
    in_force: list[Measure],
    trace: list[TraceEntry],
) -> str | None:
    """GEP No. 41 s.2-3: Group 1 items to an eligible destination not on the Area Control List."""
    controlled = [c for c in export.item_codes if reference.permit_required(c, export.destination)]
    if not all(reference.group_of(c) in gep.groups for c in controlled):
        return None
    rule = f"{gep.name} ({gep.instrument})"
    if export.destination not in gep.destinations:
        trace.append(TraceEntry(rule + " s.3(1)(a)", export.destination, "not an eligible destination"))
        return None
    if area_control or any(m.kind is MeasureKind.ARMS_EMBARGO for m in in_force):
        trace.append(
            TraceEntry(
                rule + " s.3(1)(b)-(c)", export.destination, "Area Control List or sanctions: not covered"
            )
        )
        return None
    if not export.exporter_gep41_registered:
        trace.append(
            TraceEntry(
                rule + " s.4(a)",
                export.destination,
                f"eligible, but the exporter has not notified its first use in {export.day.year}: "
                "an individual permit is needed",
            )
        )
        return None
    trace.append(
        TraceEntry(
            rule + " s.2",
            export.destination,
            f"Group 1 items to an eligible destination: covered by {gep.name}; no individual permit needed",
        )
    )
    return gep.name


def _highest(levels: Iterable[Role | None]) -> Role | None:
    known = [r for r in levels if r is not None]
    return max(known, key=AUTHORITY_LEVELS.index) if known else None


@dataclass(frozen=True)
class ExceptionClaim:
    measure: str
    ground: str
    justification: str


def check_decision(determination: Determination, claim: ExceptionClaim | None, role: Role) -> None:
    """May the application be approved? Embargo: never; moratorium: not while in force; presumptive
    denial: only on a named ground, with a justification, by the authority level the measure names."""
    if determination.outcome is Outcome.PROHIBITED:
        raise Conflict(
            "the export is prohibited (arms embargo): it cannot be approved",
            [Problem("destination", "under an arms embargo")],
        )
    if determination.outcome is Outcome.NO_NEW_PERMITS:
        raise Conflict(
            "no new permits may be issued for this destination while the moratorium is in force",
            [Problem("destination", "no new permits (moratorium) in force")],
        )
    for m in determination.exception_measures:
        _check_claim(m, claim, role)


def _check_claim(m: Measure, claim: ExceptionClaim | None, role: Role) -> None:
    if claim is None or claim.measure != m.key:
        raise Conflict(
            f"{m.ref} presumptively denies this export: approval needs an exception to {m.key}",
            [Problem("policy_exception.measure", f"an exception to {m.key} is required")],
        )
    if claim.ground not in m.exception_grounds:
        raise InvalidInput.of(
            "policy_exception.ground",
            f"'{claim.ground}' is not a ground named by {m.key}: {list(m.exception_grounds)}",
        )
    if not claim.justification.strip():
        raise InvalidInput.of("policy_exception.justification", "an exception needs a justification")
    needed = m.exception_authority or Role.MINISTER
    if role not in AUTHORITY_LEVELS or AUTHORITY_LEVELS.index(role) < AUTHORITY_LEVELS.index(needed):
        raise NotPermitted(
            f"an exception to {m.key} is granted by the {needed.value}, not the {role.value}",
            [Problem("policy_exception", f"needs the {needed.value}")],
        )


def holding(measures: Iterable[Measure], destination: str, issued_on: date, day: date) -> list[Measure]:
    """Measures in force on ``day`` that put a permit issued on ``issued_on`` to ``destination`` on
    hold: a moratorium that stops the use of permits issued before it (Notice to Exporters No. 992:
    permits issued before 11 Oct 2019 "may be used again" from 16 Apr 2020)."""
    return [
        m
        for m in measures_in_force(measures, [destination], day)
        if m.holds_existing_permits and issued_on < m.effective_from
    ]
