"""Is this export authorised? The border's check of a declaration against a permit, every reason given.

EPR s.5-6: at export the permit is presented to the border (CBSA), which checks that it is valid and
that it matches the customs declaration. EIPA s.13: exporting without a permit that covers the goods
is prohibited. The check never stops at the first problem: the officer is told every reason.

Pure rules: the permit's facts, what has already been drawn on its lines and the date are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from exportguard.domain.messages import N_, Code, Message, Said, message
from exportguard.domain.permits import PermitState, StateChange, status_on
from exportguard.domain.policy import Measure, holding

ZERO = Decimal("0.00")


class ReasonCode(StrEnum):
    NO_PERMIT = "no_permit"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    ON_HOLD = "on_hold"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"
    DESTINATION_DIFFERS = "destination_differs"
    CONSIGNEE_DIFFERS = "consignee_differs"
    ITEM_NOT_ON_PERMIT = "item_not_on_permit"
    PRODUCT_NOT_ON_PERMIT = "product_not_on_permit"
    NO_SUCH_LINE = "no_such_line"
    QUANTITY_NOT_POSITIVE = "quantity_not_positive"
    VALUE_NEGATIVE = "value_negative"
    QUANTITY_ABOVE_REMAINING = "quantity_above_remaining"
    VALUE_ABOVE_REMAINING = "value_above_remaining"


# What the border says for each reason (domain/messages.py): the edges say it in the reader's language.
NO_PERMIT = message("border.no_permit", N_("no permit %(permit)s"))
NOT_YET_ISSUED = message(
    "border.not_yet_issued", N_("permit %(permit)s not yet issued on %(day)s (issued %(issued)s)")
)
NOT_YET_VALID = message(
    "border.not_yet_valid", N_("permit %(permit)s not yet valid: valid from %(valid_from)s")
)
EXPIRED_ON = message("border.expired_on", N_("expired on %(day)s (valid to %(valid_to)s)"))
ENDED_ON = message("border.state_on", N_("%(state)s on %(day)s"))
DESTINATION_DIFFERS = message(
    "border.destination_differs", N_("destination %(declared)s differs from the permit's %(licensed)s")
)
CONSIGNEE_DIFFERS = message(
    "border.consignee_differs", N_("consignee %(declared)s differs from the permit's %(licensed)s")
)
ITEM_NOT_ON_PERMIT = message("border.item_not_on_permit", N_("item %(item)s is not on the permit"))
PRODUCT_NOT_ON_PERMIT = message(
    "border.product_not_on_permit", N_("product %(product)s is not on the permit")
)
NO_SUCH_LINE = message("border.no_such_line", N_("no line %(line)s"))
LINE_LICENSES_OTHER_ITEM = message(
    "border.line_licenses_other_item", N_("line %(line)s licenses item %(item)s, not the goods declared")
)
NAME_THE_LINE = message("border.name_the_line", N_("name the permit line, item or product"))
NO_LINE_LICENSES = message("border.no_line_licenses", N_("no line of the permit licenses these goods"))
MUST_BE_POSITIVE = message("value.must_be_positive", N_("must be positive"))
MUST_NOT_BE_NEGATIVE = message("value.must_not_be_negative", N_("must not be negative"))
QUANTITY_ABOVE_REMAINING = message(
    "border.quantity_above_remaining",
    N_("quantity %(quantity)s is above the %(remaining)s remaining on line %(line)s"),
)
VALUE_ABOVE_REMAINING = message(
    "border.value_above_remaining",
    N_("value %(value)s %(currency)s is above the %(remaining)s remaining on line %(line)s"),
)
ON_HOLD = message(
    "border.on_hold", N_("permit %(permit)s (issued %(issued)s) is on hold under %(measure)s: %(title)s")
)
ON_HOLD_UNTIL = message(
    "border.on_hold_until",
    N_(
        "permit %(permit)s (issued %(issued)s) is on hold under %(measure)s: %(title)s; "
        "usable again from %(until)s"
    ),
)
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Reason:
    """One reason the export is not authorised, naming the field of the declaration at fault; ``said``
    is its words as a code with parameters (the English ``message`` is built from it)."""

    code: ReasonCode
    field: str
    message: str
    said: Said | None = dataclass_field(default=None, compare=False)

    @classmethod
    def of(cls, code: ReasonCode, at: str, what: Message, /, **params: object) -> Reason:
        said = what(**params)
        return cls(code, at, str(said), said)


@dataclass(frozen=True)
class Drawn:
    """What shipments have drawn on a permit line so far (net of reversals)."""

    quantity: int = 0
    value: Decimal = ZERO

    def __add__(self, other: Drawn) -> Drawn:
        return Drawn(self.quantity + other.quantity, self.value + other.value)


@dataclass(frozen=True)
class LicensedLine:
    """A permit line: what is licensed (quantity, and value = quantity x unit value)."""

    line_no: int
    line_id: int
    item_code: str
    product_id: int
    quantity: int
    unit_value: Decimal
    currency: str
    # EIPA s.10(1): an amended permit is a new version; what was shipped under the earlier versions
    # of the same application line still counts against it.
    carried: Drawn = Drawn()

    @property
    def value(self) -> Decimal:
        return self.unit_value * self.quantity


@dataclass(frozen=True)
class PermitFacts:
    """What the border needs to know about one version of a permit."""

    id: int
    number: str
    version: int
    holder_id: int
    consignee_id: int
    consignee: str
    destination: str
    issued_on: date
    valid_from: date
    valid_to: date
    history: tuple[StateChange, ...]
    lines: tuple[LicensedLine, ...]

    @property
    def ref(self) -> str:
        return f"{self.number}/v{self.version}"

    def line(self, line_no: int) -> LicensedLine | None:
        return next((ln for ln in self.lines if ln.line_no == line_no), None)


@dataclass(frozen=True, slots=True)  # slots: a declaration file holds a million of these at once
class ProposedLine:
    """A line of the declaration: a permit line by number, or the goods by list item or product."""

    quantity: int
    line_no: int | None = None
    item_code: str | None = None
    product_id: int | None = None
    value: Decimal | None = None  # declared value; default: quantity x the line's unit value


@dataclass(frozen=True, slots=True)
class Proposal:
    """The question: may these goods go to this consignee and destination on this day?"""

    shipped_on: date
    lines: tuple[ProposedLine, ...]
    destination: str | None = None
    consignee: str | None = None  # the consignee's name, or its party id, as declared


@dataclass(frozen=True)
class Drawdown:
    """A resolved declaration line: which permit line it draws on, and how much."""

    line_no: int
    line_id: int
    quantity: int
    value: Decimal
    currency: str


@dataclass(frozen=True)
class Verdict:
    authorised: bool
    reasons: tuple[Reason, ...] = ()
    drawdowns: tuple[Drawdown, ...] = field(default=())

    def messages(self) -> list[str]:
        return [r.message for r in self.reasons]


def no_permit(presented: str) -> Verdict:
    """EIPA s.13: without a permit the export is prohibited."""
    return Verdict(False, (Reason.of(ReasonCode.NO_PERMIT, "permit", NO_PERMIT, permit=presented),))


def _entered(history: Iterable[StateChange], state: PermitState, day: date) -> date | None:
    """When the permit last entered ``state`` on or before ``day`` (its effective-dated history)."""
    found = None
    for change in history:
        if change.effective_date > day:
            break
        found = change.effective_date if change.state is state else found
    return found


def validity_reasons(permit: PermitFacts, day: date) -> list[Reason]:
    """The permit must be in force on the day of export (EIPA s.10 acts; EIPA s.12(a) validity)."""
    status = status_on(permit.history, day, valid_from=permit.valid_from, valid_to=permit.valid_to)
    at, ref = "shipped_on", permit.ref
    if status == PermitState.ACTIVE.value:
        return []
    if status is None:
        first = permit.history[0].effective_date if permit.history else permit.issued_on
        return [Reason.of(ReasonCode.NOT_YET_VALID, at, NOT_YET_ISSUED, permit=ref, day=day, issued=first)]
    if status == "not_yet_valid":
        return [
            Reason.of(ReasonCode.NOT_YET_VALID, at, NOT_YET_VALID, permit=ref, valid_from=permit.valid_from)
        ]
    if status == PermitState.EXPIRED.value:
        lapsed = _entered(permit.history, PermitState.EXPIRED, day) or permit.valid_to + timedelta(days=1)
        return [Reason.of(ReasonCode.EXPIRED, at, EXPIRED_ON, day=lapsed, valid_to=permit.valid_to)]
    code = ReasonCode(status)  # suspended, cancelled or superseded: dated from the history
    when = _entered(permit.history, PermitState(status), day)
    return [Reason.of(code, at, ENDED_ON, state=Code(status), day=when)]


def _party_reasons(permit: PermitFacts, proposal: Proposal) -> list[Reason]:
    out = []
    if proposal.destination is not None and proposal.destination.strip().upper() != permit.destination:
        out.append(
            Reason.of(
                ReasonCode.DESTINATION_DIFFERS,
                "destination",
                DESTINATION_DIFFERS,
                declared=proposal.destination.strip().upper(),
                licensed=permit.destination,
            )
        )
    declared = (proposal.consignee or "").strip()
    if declared and declared.casefold() not in {permit.consignee.casefold(), str(permit.consignee_id)}:
        out.append(
            Reason.of(
                ReasonCode.CONSIGNEE_DIFFERS,
                "consignee",
                CONSIGNEE_DIFFERS,
                declared=declared,
                licensed=permit.consignee,
            )
        )
    return out


def _goods_reasons(permit: PermitFacts, want: ProposedLine, at: str) -> list[Reason]:
    out = []
    if want.item_code is not None and all(ln.item_code != want.item_code for ln in permit.lines):
        out.append(
            Reason.of(
                ReasonCode.ITEM_NOT_ON_PERMIT, f"{at}.item_code", ITEM_NOT_ON_PERMIT, item=want.item_code
            )
        )
    if want.product_id is not None and all(ln.product_id != want.product_id for ln in permit.lines):
        out.append(
            Reason.of(
                ReasonCode.PRODUCT_NOT_ON_PERMIT,
                f"{at}.product_id",
                PRODUCT_NOT_ON_PERMIT,
                product=want.product_id,
            )
        )
    return out


def _matches(line: LicensedLine, want: ProposedLine) -> bool:
    return (want.item_code is None or line.item_code == want.item_code) and (
        want.product_id is None or line.product_id == want.product_id
    )


def _resolve(permit: PermitFacts, want: ProposedLine, at: str) -> tuple[LicensedLine | None, list[Reason]]:
    """The permit line a declaration line draws on, or why none does."""
    reasons = _goods_reasons(permit, want, at)
    if want.line_no is not None:
        line = permit.line(want.line_no)
        if line is None:
            return None, [
                *reasons,
                Reason.of(ReasonCode.NO_SUCH_LINE, f"{at}.line_no", NO_SUCH_LINE, line=want.line_no),
            ]
        if not reasons and not _matches(line, want):
            reasons.append(
                Reason.of(
                    ReasonCode.ITEM_NOT_ON_PERMIT,
                    f"{at}.line_no",
                    LINE_LICENSES_OTHER_ITEM,
                    line=line.line_no,
                    item=line.item_code,
                )
            )
        return (None if reasons else line), reasons
    if reasons:
        return None, reasons
    candidates = [ln for ln in permit.lines if _matches(ln, want)]
    if want.item_code is None and want.product_id is None and len(permit.lines) > 1:
        return None, [Reason.of(ReasonCode.NO_SUCH_LINE, f"{at}.line_no", NAME_THE_LINE)]
    if not candidates:
        return None, [Reason.of(ReasonCode.ITEM_NOT_ON_PERMIT, at, NO_LINE_LICENSES)]
    return candidates[0], []


def resolved_lines(
    permit: PermitFacts, proposal: Proposal
) -> tuple[tuple[LicensedLine, ProposedLine], ...] | None:
    """Each declared line with the permit line it names, whatever the permit's state; None if any
    line names none (to compare a resubmitted declaration with the recorded one)."""
    out = []
    for n, want in enumerate(proposal.lines):
        line, _ = _resolve(permit, want, f"lines[{n}]")
        if line is None:
            return None
        out.append((line, want))
    return tuple(out)


def assess(
    permit: PermitFacts | None,
    proposal: Proposal,
    drawn: Mapping[int, Drawn],
    *,
    measures: Iterable[Measure],
    presented: str = "",
) -> Verdict:
    """Authorised, or every reason why not: the border's one answer, whichever path asks (a single
    check, a declaration file, the customs feed, a recorded export). ``drawn`` is keyed by permit
    line number; ``measures`` are the destination measures that may hold the permit (Notice 992)."""
    if permit is None:
        return no_permit(presented)
    held = holding(measures, permit.destination, permit.issued_on, proposal.shipped_on)
    reasons = (
        validity_reasons(permit, proposal.shipped_on)
        + hold_reasons(permit, held)
        + _party_reasons(permit, proposal)
    )
    wanted: dict[int, tuple[LicensedLine, int, Decimal, str]] = {}
    for n, want in enumerate(proposal.lines):
        at = f"lines[{n}]"
        line, why = _resolve(permit, want, at)
        reasons += why
        if want.quantity <= 0:
            reasons.append(Reason.of(ReasonCode.QUANTITY_NOT_POSITIVE, f"{at}.quantity", MUST_BE_POSITIVE))
        if want.value is not None and want.value < 0:
            reasons.append(Reason.of(ReasonCode.VALUE_NEGATIVE, f"{at}.value", MUST_NOT_BE_NEGATIVE))
        if line is None or want.quantity <= 0:
            continue
        value = line.unit_value * want.quantity if want.value is None else want.value
        _, qty0, value0, at0 = wanted.get(line.line_no, (line, 0, ZERO, at))
        wanted[line.line_no] = (line, qty0 + want.quantity, value0 + value, at0)
    reasons += remaining_reasons(wanted.values(), drawn)
    if reasons:
        return Verdict(False, tuple(reasons))
    return Verdict(
        True,
        (),
        tuple(
            Drawdown(ln.line_no, ln.line_id, qty, value, ln.currency) for ln, qty, value, _ in wanted.values()
        ),
    )


def remaining_reasons(
    wanted: Iterable[tuple[LicensedLine, int, Decimal, str]], drawn: Mapping[int, Drawn]
) -> list[Reason]:
    """Quantity and value never above what remains on the line (licensed minus drawn)."""
    out = []
    for line, qty, value, at in wanted:
        used = drawn.get(line.line_no, Drawn()) + line.carried
        left_qty, left_value = line.quantity - used.quantity, line.value - used.value
        if qty > left_qty:
            out.append(
                Reason.of(
                    ReasonCode.QUANTITY_ABOVE_REMAINING,
                    f"{at}.quantity",
                    QUANTITY_ABOVE_REMAINING,
                    quantity=qty,
                    remaining=max(left_qty, 0),
                    line=line.line_no,
                )
            )
        elif value > left_value:  # a quantity above what remains already says it all
            out.append(
                Reason.of(
                    ReasonCode.VALUE_ABOVE_REMAINING,
                    f"{at}.value",
                    VALUE_ABOVE_REMAINING,
                    value=Decimal(value).quantize(CENTS),
                    currency=line.currency,
                    remaining=max(left_value, ZERO).quantize(CENTS),
                    line=line.line_no,
                )
            )
    return out


def choose_version(versions: Sequence[PermitFacts], day: date) -> PermitFacts | None:
    """The version of a permit number that answers for ``day``: the latest issued by then.

    An amendment (EIPA s.10(1)) supersedes the earlier version from its effective date; a
    declaration dated before it is judged against the version then in force.
    """
    if not versions:
        return None
    ordered = sorted(versions, key=lambda v: v.version, reverse=True)
    for version in ordered:
        if version.history and version.history[0].effective_date <= day:
            return version
    return ordered[-1]


def hold_reasons(permit: PermitFacts, holds: Sequence[Measure]) -> list[Reason]:
    """A permit on hold under a destination measure may not be used while it is in force."""
    return [
        Reason.of(
            ReasonCode.ON_HOLD,
            "shipped_on",
            ON_HOLD_UNTIL if m.effective_to else ON_HOLD,
            permit=permit.ref,
            issued=permit.issued_on,
            measure=m.ref,
            title=m.title,
            **({"until": m.effective_to} if m.effective_to else {}),
        )
        for m in holds
    ]
