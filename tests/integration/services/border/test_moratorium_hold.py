"""Notice to Exporters No. 992: permits to Turkey issued before the halt of 11 Oct 2019 were on hold
during it and "may be used again" from 16 Apr 2020. A border check in December 2019 on such a
permit is not authorised; the same check after 16 Apr 2020 is."""

from __future__ import annotations

from datetime import UTC, date, datetime

from exportguard.adapters.clock import FixedClock
from exportguard.services.border import authorisations
from exportguard.services.policy import measures
from exportguard.services.system import ExportGuard
from tests.factories import DIRECTOR, OFFICER, issued, world


def _check(eg: ExportGuard, number: str, day: date) -> authorisations.CheckAnswer:
    with eg.uow(OFFICER) as uow:
        return authorisations.check_authorisation(
            uow,
            authorisations.CheckInput(
                permit=number, shipped_on=day, lines=[authorisations.CheckLineInput(line_no=1, quantity=1)]
            ),
        )


def moratorium(eg: ExportGuard) -> None:
    """The halt of 11 Oct 2019, holding the permits issued before it until 16 Apr 2020."""
    with eg.uow(DIRECTOR) as uow:
        measures.record_measure(
            uow,
            measures.MeasureInput(
                key="TR-2019-MORATORIUM", destination="TR", kind="no_new_permits",
                title="Turkey: no new export permits", legal_basis="EIPA s.7 policy",
                effective_from=date(2019, 10, 11), effective_to=date(2020, 4, 16),
                holds_existing_permits=True,
            ),
        )  # fmt: skip


def test_permit_issued_before_the_halt_is_on_hold_until_notice_992(
    eg: ExportGuard, clock: FixedClock
) -> None:
    w = world(eg)
    clock.set(datetime(2019, 3, 1, 12, tzinfo=UTC))  # approved before it is issued (acts in date order)
    before = issued(eg, w, quantity=5, valid_from=date(2019, 3, 4), valid_to=date(2021, 12, 31))
    moratorium(eg)
    december = _check(eg, before.number, date(2019, 12, 10))
    assert not december.authorised
    assert [r.code for r in december.reasons] == ["on_hold"]
    assert (
        "TR-2019-MORATORIUM/v1" in december.reasons[0].message and "2020-04-16" in december.reasons[0].message
    )
    assert _check(eg, before.number, date(2019, 10, 1)).authorised  # before the halt
    assert _check(eg, before.number, date(2020, 4, 16)).authorised  # usable again under Notice 992
