"""Applications on a real database: drafting, submission refusals, versions, visibility, as-of."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from exportguard.db.models import Application, AuditEvent
from exportguard.domain.errors import ApplicationIncomplete, IllegalTransition, InvalidInput, NotFound
from exportguard.services.applications import commands as applications
from exportguard.services.applications import queries as application_queries
from exportguard.services.system import ExportGuard
from tests.factories import OFFICER, application_input, approved, submitted, world


def _count(eg: ExportGuard, model: type) -> int:
    with eg.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_incomplete_application_is_refused_with_every_problem(eg: ExportGuard) -> None:
    w = world(eg)
    with eg.uow(OFFICER) as uow:
        draft = applications.draft_application(
            uow, application_input(w, documents=[], no_diversion_declared=False, end_use="")
        )
    events = _count(eg, AuditEvent)
    with pytest.raises(ApplicationIncomplete) as err, eg.uow(OFFICER) as uow:
        applications.submit_application(uow, draft.id)
    assert [p.field for p in err.value.problems] == [
        "end_use",
        "documents",
        "documents",
        "no_diversion_declared",
    ]
    assert _count(eg, AuditEvent) == events  # nothing written
    with eg.read() as s:
        assert application_queries.get_application(s, OFFICER, draft.id).state == "draft"


def test_unknown_references_are_named(eg: ExportGuard) -> None:
    w = world(eg)
    data = application_input(w, destination="ZZ")
    data.parties[2].party_id = 999_999
    with pytest.raises(InvalidInput) as err, eg.uow(OFFICER) as uow:
        applications.draft_application(uow, data)
    assert [p.field for p in err.value.problems] == ["destination", "parties[2].party_id"]
    assert _count(eg, Application) == 0


def test_lifecycle_and_as_of(eg: ExportGuard, clock: object) -> None:
    w = world(eg)
    app = submitted(eg, w)
    with eg.uow(OFFICER) as uow:
        applications.begin_review(uow, app.id, effective_date=date(2020, 4, 25))
    with eg.read() as s:

        def state_on(day: date) -> list[str]:
            return [
                a.state
                for a in application_queries.list_applications(
                    s, OFFICER, application_queries.ApplicationFilter(destination="TR", as_of=day)
                )
            ]

        assert state_on(date(2020, 4, 19)) == []
        assert state_on(date(2020, 4, 20)) == ["submitted"]
        assert state_on(date(2020, 4, 25)) == ["under_review"]


def test_withdrawn_application_cannot_be_submitted(eg: ExportGuard) -> None:
    w = world(eg)
    app = submitted(eg, w)
    with eg.uow(OFFICER) as uow:
        applications.withdraw_application(uow, app.id, reason="contract lost")
    with pytest.raises(IllegalTransition), eg.uow(OFFICER) as uow:
        applications.submit_application(uow, app.id)


def test_approved_application_is_amended_only_by_a_new_version(eg: ExportGuard) -> None:
    w = world(eg)
    app = approved(eg, w)
    with pytest.raises(IllegalTransition), eg.uow(OFFICER) as uow:
        applications.edit_draft(uow, app.id, application_input(w))
    with eg.uow(OFFICER) as uow:
        v2 = applications.new_version(uow, app.id, reason="quantity change")
    assert (v2.reference, v2.version, v2.state, v2.supersedes_id) == (app.reference, 2, "draft", app.id)
    with eg.read() as s:
        assert application_queries.get_application(s, OFFICER, app.id).state == "approved"


def test_exporters_see_only_their_own_applications(eg: ExportGuard) -> None:
    w = world(eg)
    app = submitted(eg, w)
    mine = w.exporter_actor()
    other = type(mine)("exporter.other", mine.role, w.consignee_id)
    with eg.read() as s:
        assert [
            a.id
            for a in application_queries.list_applications(s, mine, application_queries.ApplicationFilter())
        ] == [app.id]
        assert application_queries.list_applications(s, other, application_queries.ApplicationFilter()) == []
        with pytest.raises(NotFound):
            application_queries.get_application(s, other, app.id)
