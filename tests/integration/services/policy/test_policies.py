"""Destination measures: recorded with legal basis and audit event; listed as of a date."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from exportguard.db.models import AuditEvent
from exportguard.domain.errors import Conflict, InvalidInput, NotPermitted
from exportguard.services.policy import measures as policies
from exportguard.services.system import ExportGuard
from tests.factories import MINISTER, OFFICER


def _measure(**overrides: object) -> policies.MeasureInput:
    data: dict[str, object] = {
        "key": "TR-2019-MORATORIUM",
        "destination": "TR",
        "kind": "no_new_permits",
        "title": "Turkey: no new export permits",
        "legal_basis": "Ministerial statement of 11 Oct 2019",
        "source": "GAC, 11 Oct 2019",
        "effective_from": date(2019, 10, 11),
        "effective_to": date(2020, 4, 16),
    }
    data.update(overrides)
    return policies.MeasureInput.model_validate(data)


def test_record_measure_is_audited(eg: ExportGuard) -> None:
    with eg.uow(MINISTER) as uow:
        view = policies.record_measure(uow, _measure())
    with eg.read() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.subject_type == "measure")).one()
    assert (event.command, event.subject_ref, event.legal_basis) == (
        "record_measure",
        "TR-2019-MORATORIUM/v1",
        "Ministerial statement of 11 Oct 2019",
    )
    assert event.effective_date == date(2019, 10, 11)
    assert event.after is not None and event.after["source"] == "GAC, 11 Oct 2019"
    assert view.destination == "TR"


def test_measures_in_force_on_a_date(eg: ExportGuard) -> None:
    with eg.uow(MINISTER) as uow:
        policies.record_measure(uow, _measure())
    with eg.uow(MINISTER) as uow:
        policies.record_measure(
            uow,
            _measure(
                key="TR-NTE-992",
                kind="presumptive_denial",
                effective_from=date(2020, 4, 16),
                effective_to=date(2024, 1, 29),
                item_groups=[2],
                exception_grounds=["NATO cooperation programs"],
            ),
        )
    with eg.read() as s:

        def keys(day: date) -> list[str]:
            return [m.key for m in policies.list_measures(s, "tr", day)]

        assert keys(date(2019, 10, 10)) == []
        assert keys(date(2019, 10, 11)) == ["TR-2019-MORATORIUM"]
        # effective_to is the first day no longer in force: the two measures never overlap.
        assert keys(date(2020, 4, 16)) == ["TR-NTE-992"]
        assert keys(date(2024, 1, 29)) == []
        assert len(policies.list_measures(s, "TR")) == 2
        assert policies.list_measures(s, "KP") == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"destination": "XX"}, "destination"),
        ({"effective_to": date(2019, 10, 1)}, "effective_to"),
        ({"item_groups": [8, 12]}, "item_groups[1]"),
        ({"item_codes": ["2-99"]}, "item_codes[0]"),
    ],
)
def test_invalid_measures_name_the_field(eg: ExportGuard, overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err, eg.uow(MINISTER) as uow:
        policies.record_measure(uow, _measure(**overrides))
    assert field in [p.field for p in err.value.problems]


def test_a_key_is_recorded_once_and_only_by_those_who_set_policy(eg: ExportGuard) -> None:
    with eg.uow(MINISTER) as uow:
        policies.record_measure(uow, _measure())
    with pytest.raises(Conflict), eg.uow(MINISTER) as uow:
        policies.record_measure(uow, _measure())
    with pytest.raises(NotPermitted), eg.uow(OFFICER) as uow:
        policies.record_measure(uow, _measure(key="OTHER"))
