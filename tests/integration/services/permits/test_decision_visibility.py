"""A ministerial decision as each reader sees it: officials the whole act, a holder only its own
permits' part, an exporter it did not touch nothing at all (issue 10: decisions by reference leaked)."""

from __future__ import annotations

from datetime import date

import pytest

from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import NotFound
from exportguard.services.permits import bulk_actions
from exportguard.services.system import ExportGuard
from tests.factories import MINISTER, OFFICER, issued, party, world

REF = "MIN-2020-10-05"


def test_a_holder_reads_only_its_own_part_of_an_act(eg: ExportGuard) -> None:
    ours, theirs = world(eg), world(eg)
    mine = issued(eg, ours).number
    issued(eg, theirs)
    act = bulk_actions.BulkActInput.model_validate(
        {"command": "suspend", "scope": {"destination": "TR"}, "reason": "review",
         "effective_date": date(2020, 10, 5), "decision_ref": REF}
    )  # fmt: skip
    with eg.uow(MINISTER) as uow:
        bulk_actions.execute(uow, act)
    stranger = Actor("x", Role.EXPORTER, party(eg, "Polaris Orbital", "CA"))
    with eg.read() as session:
        whole = bulk_actions.get_decision(session, OFFICER, REF)
        own = bulk_actions.get_decision(session, ours.exporter_actor(), REF)
        with pytest.raises(NotFound):
            bulk_actions.get_decision(session, stranger, REF)
    assert whole.permit_count == 2 and len(whole.permits) == 2 and whole.scope
    assert (own.permits, own.permit_count, own.scope, own.notices) == ([f"{mine}/v1"], 1, {}, 0)
