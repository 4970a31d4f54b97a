"""Screening in the workflow: parties screened at submission and again before a permit is issued."""

from __future__ import annotations

import hashlib

import pytest

from exportguard.adapters.sanctions_lists.snapshot import ParsedList
from exportguard.domain.errors import ScreeningBlocks
from exportguard.domain.screening.entries import ListEntry, Schema
from exportguard.services.applications import assessments
from exportguard.services.applications import commands as applications
from exportguard.services.permits import commands as permits
from exportguard.services.screening import commands as screening
from exportguard.services.screening.gate import standing_hits
from exportguard.services.system import ExportGuard
from tests.factories import DIRECTOR, OFFICER, World, all_findings, submitted, world


def _custom_list(*names: str) -> ParsedList:
    entries = tuple(
        ListEntry(
            source="custom",
            entry_id=f"C-{n}",
            schema=Schema.ORGANISATION,
            names=(name,),
            countries=frozenset({"TR"}),
        )
        for n, name in enumerate(names, start=1)
    )
    digest = hashlib.sha256("|".join(names).encode()).hexdigest()
    return ParsedList(source="custom", content_hash=digest, entries=entries)


def _import(eg: ExportGuard, *names: str) -> None:
    with eg.uow(OFFICER) as uow:
        screening.import_list(uow, _custom_list(*names))


def _approve(eg: ExportGuard, app_id: int) -> None:
    with eg.uow(OFFICER) as uow:
        applications.begin_review(uow, app_id)
    with eg.uow(OFFICER) as uow:
        assessments.record_assessment(uow, app_id, assessments.AssessmentInput(findings=all_findings()))
    with eg.uow(DIRECTOR) as uow:
        assessments.approve_application(uow, app_id, assessments.ApprovalInput(justification="ok"))


def _issue(eg: ExportGuard, app_id: int) -> permits.PermitView:
    with eg.uow(OFFICER) as uow:
        return permits.issue_permit(
            uow,
            app_id,
            permits.IssueInput.model_validate(
                {
                    "valid_from": "2020-05-15",
                    "valid_to": "2021-06-30",
                    "issued_on": "2020-05-15",
                    "lines": [{"application_line_no": 1, "quantity": 7}],
                }
            ),
        )


def test_submission_screens_every_party_and_hits_become_tasks(eg: ExportGuard) -> None:
    _import(eg, "Baykar Makina")
    w = world(eg)
    submitted(eg, w)
    with eg.read() as s:
        hits = screening.list_hits(s, OFFICER, status="open")
    assert [(h.party_id, h.listed_name, h.context) for h in hits] == [
        (w.consignee_id, "Baykar Makina", "submission")
    ]


def test_open_hit_blocks_issue_until_found_false_positive(eg: ExportGuard) -> None:
    _import(eg, "Baykar Makina")
    w: World = world(eg)
    app = submitted(eg, w)
    _approve(eg, app.id)
    with pytest.raises(ScreeningBlocks) as err:
        _issue(eg, app.id)
    assert err.value.status == 409
    assert [p.field for p in err.value.problems] == [f"parties[{w.consignee_id}]"]
    with eg.read() as s:
        (hit,) = standing_hits(s, [w.consignee_id])  # the refusal kept the review task
    with eg.uow(OFFICER) as uow:
        screening.record_disposition(uow, hit.id, "false_positive", "Baykar is not the listed entity")
    assert _issue(eg, app.id).holder_id == w.exporter_id


def test_true_match_keeps_blocking(eg: ExportGuard) -> None:
    _import(eg, "Baykar Makina")
    w = world(eg)
    app = submitted(eg, w)
    _approve(eg, app.id)
    with eg.read() as s:
        (hit,) = standing_hits(s, [w.consignee_id])
    with eg.uow(OFFICER) as uow:
        screening.record_disposition(uow, hit.id, "true_match", "same entity")
    with pytest.raises(ScreeningBlocks):
        _issue(eg, app.id)


def test_hit_on_an_entry_no_longer_listed_does_not_block(eg: ExportGuard) -> None:
    _import(eg, "Baykar Makina")
    w = world(eg)
    app = submitted(eg, w)
    _approve(eg, app.id)
    _import(eg, "Someone Else Entirely")  # the newer snapshot no longer lists the entry
    assert _issue(eg, app.id).consignee_id == w.consignee_id
