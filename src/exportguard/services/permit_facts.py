"""Permits as the border sees them (domain ``PermitFacts``), loaded from the database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from exportguard.db.models import (
    Party,
    Permit,
    PermitLine,
    PermitLineUsage,
    PermitStateChange,
    ShipmentLine,
)
from exportguard.domain.access import Actor
from exportguard.domain.authorisation import Drawn, LicensedLine, PermitFacts
from exportguard.domain.permits import PermitCommand, PermitState, StateChange


def facts_of(session: Session, permits: Sequence[Permit], *, names: bool = True) -> list[PermitFacts]:
    """Facts for ``permits`` in three queries (lines, histories, and consignee names unless not
    ``names``: a drawdown that declares no consignee does not need them)."""
    ids = [p.id for p in permits]
    if not ids:
        return []
    carried = _carried(session, [p for p in permits if p.version > 1])
    lines: dict[int, list[LicensedLine]] = {}
    for pl in session.scalars(
        select(PermitLine).where(PermitLine.permit_id.in_(ids)).order_by(PermitLine.line_no)
    ):
        lines.setdefault(pl.permit_id, []).append(
            LicensedLine(
                pl.line_no,
                pl.id,
                pl.item_code,
                pl.product_id,
                pl.quantity,
                pl.unit_value,
                pl.currency,
                carried.get((pl.permit_id, pl.application_line_id), Drawn()),
            )
        )
    history: dict[int, list[StateChange]] = {}
    for c in session.scalars(
        select(PermitStateChange)
        .where(PermitStateChange.permit_id.in_(ids))
        .order_by(PermitStateChange.permit_id, PermitStateChange.effective_date, PermitStateChange.id)
    ):
        history.setdefault(c.permit_id, []).append(
            StateChange(PermitState(c.state), PermitCommand(c.command), c.effective_date)
        )
    consignees = (
        dict(
            session.execute(
                select(Party.id, Party.name).where(Party.id.in_({p.consignee_id for p in permits}))
            ).all()
        )
        if names
        else {}
    )
    return [
        PermitFacts(
            id=p.id,
            number=p.number,
            version=p.version,
            holder_id=p.holder_id,
            consignee_id=p.consignee_id,
            consignee=consignees.get(p.consignee_id, ""),
            destination=p.destination_code,
            issued_on=p.issued_on,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
            history=tuple(history.get(p.id, ())),
            lines=tuple(lines.get(p.id, ())),
        )
        for p in permits
    ]


def _carried(session: Session, amended: Sequence[Permit]) -> dict[tuple[int, int], Drawn]:
    """Per (amended permit, application line): what its earlier versions shipped (EIPA s.10(1)).

    Earlier versions are superseded, so nothing more is drawn on them: the figure is settled.
    """
    out: dict[tuple[int, int], Drawn] = {}
    for permit in amended:
        earlier = aliased(Permit)
        rows = session.execute(
            select(
                PermitLine.application_line_id, func.sum(ShipmentLine.quantity), func.sum(ShipmentLine.value)
            )
            .join(PermitLine, PermitLine.id == ShipmentLine.permit_line_id)
            .join(earlier, earlier.id == PermitLine.permit_id)
            .where(earlier.number == permit.number, earlier.version < permit.version)
            .group_by(PermitLine.application_line_id)
        )
        for app_line, qty, value in rows:
            out[(permit.id, app_line)] = Drawn(int(qty), Decimal(value))
    return out


def versions_of(session: Session, actor: Actor, presented: str | int) -> list[PermitFacts]:
    """Every version of the permit presented (by number), or the one version with that id.

    Exporters see only their own organisation's permits: any other is "no permit" to them.
    """
    key = str(presented).strip()
    stmt = select(Permit)
    stmt = stmt.where(Permit.id == int(key)) if key.isdigit() else stmt.where(Permit.number == key)
    if actor.limited_to_own_records:
        stmt = stmt.where(Permit.holder_id == actor.organisation_id)
    return facts_of(session, session.scalars(stmt.order_by(Permit.version)).all())


def drawn_by_line_id(session: Session, line_ids: Iterable[int]) -> dict[int, Drawn]:
    """What has been drawn on each permit line (the running balance), keyed by line id."""
    ids = list(line_ids)
    rows = session.execute(
        select(PermitLineUsage.permit_line_id, PermitLineUsage.quantity, PermitLineUsage.value).where(
            PermitLineUsage.permit_line_id.in_(ids)
        )
    )
    return {line_id: Drawn(int(qty), Decimal(value)) for line_id, qty, value in rows}


def drawn_on(session: Session, permit: PermitFacts) -> dict[int, Drawn]:
    """What has been drawn on each line of ``permit``, keyed by line number."""
    by_id = drawn_by_line_id(session, [ln.line_id for ln in permit.lines])
    return {ln.line_no: by_id[ln.line_id] for ln in permit.lines if ln.line_id in by_id}
