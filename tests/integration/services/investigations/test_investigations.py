"""An allegation to a ministerial act: triage, questions, requests, findings, the recommended act."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from exportguard.db.models import AuditEvent, MinisterialDecision, Permit
from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import Conflict, IllegalTransition, InvalidInput, NotPermitted
from exportguard.services.investigations import actions, allegations, commands, views
from exportguard.services.system import ExportGuard
from tests.factories import MINISTER, OFFICER, World, issued, world

PUBLIC = Actor("anonymous", Role.PUBLIC)


def public_allegation(eg: ExportGuard, **overrides: object) -> allegations.AllegationReceipt:
    data: dict[str, object] = {
        "source_kind": "ngo",
        "source_name": "Project Ploughshares",
        "claim": "Wescam sensors on Azerbaijani TB2 drones over Nagorno-Karabakh",
        "claimed_on": date(2020, 9, 27),
        "concerns": [
            {"kind": "destination", "value": "tr"},
            {"kind": "third_country", "value": "AZ"},
            {"kind": "conflict", "value": "Nagorno-Karabakh"},
        ],
    }
    data.update(overrides)
    with eg.uow(PUBLIC) as uow:
        return allegations.submit_allegation(uow, allegations.AllegationInput.model_validate(data))


def opened(eg: ExportGuard, receipt: allegations.AllegationReceipt) -> str:
    with eg.uow(OFFICER) as uow:
        inv = commands.open_investigation(
            uow,
            receipt.reference,
            allegations.OpenInput(
                title="TB2 sensors in Nagorno-Karabakh", reason="credible report", investigators=[]
            ),
        )
        return inv.reference


def two_permits(eg: ExportGuard) -> tuple[World, list[str]]:
    w = world(eg)
    return w, [issued(eg, w, quantity=3).number, issued(eg, w, quantity=4).number]


def test_public_receipt_is_random_and_reveals_nothing_else(eg: ExportGuard) -> None:
    first, second = public_allegation(eg), public_allegation(eg)
    assert first.reference != second.reference
    assert first.reference.startswith("ALG-") and len(first.reference) == 14
    assert set(first.model_dump()) == {"reference", "received_on", "message"}
    with eg.read() as s, pytest.raises(NotPermitted):
        allegations.get_allegation(s, PUBLIC, first.reference)


def test_public_concerns_are_checked_without_consulting_the_register(eg: ExportGuard) -> None:
    # A permit number the register does not hold is accepted from the public (saying so would tell
    # them what the register holds); a country code is checked.
    receipt = public_allegation(eg, concerns=[{"kind": "permit", "value": "EXP-NOT-THERE"}])
    assert receipt.reference
    with pytest.raises(InvalidInput) as bad:
        public_allegation(eg, concerns=[{"kind": "destination", "value": "XX"}])
    assert bad.value.problems[0].field == "concerns[0].value"


def test_triage_once_dismissed_with_a_reason(eg: ExportGuard) -> None:
    receipt = public_allegation(eg)
    with eg.uow(OFFICER) as uow:
        view = allegations.dismiss(
            uow, receipt.reference, allegations.DismissInput(reason="duplicate of ALG-1")
        )
    assert (view.state, view.dismissal_reason, view.triaged_by) == (
        "dismissed",
        "duplicate of ALG-1",
        OFFICER.principal,
    )
    with eg.uow(OFFICER) as uow, pytest.raises(IllegalTransition):
        commands.open_investigation(uow, receipt.reference, allegations.OpenInput(title="x", reason="y"))


def test_allegation_to_cancellation_through_the_bulk_act(eg: ExportGuard) -> None:
    _w, numbers = two_permits(eg)
    ref = opened(eg, public_allegation(eg))
    with eg.uow(OFFICER) as uow:
        commands.ask_question(
            uow, ref, commands.QuestionInput(text="Were Canadian goods used in the conflict?")
        )
    with eg.uow(OFFICER) as uow:
        request = commands.consult(
            uow,
            ref,
            commands.ConsultInput(
                kind="foreign_government",
                addressee="Republic of Türkiye",
                request="How were the sensors used?",
            ),
        )
    with eg.uow(OFFICER) as uow:
        commands.record_response(
            uow, ref, request.id, commands.ResponseInput(outcome="refuse", response="Declined to answer")
        )
    with eg.uow(OFFICER) as uow:
        commands.record_finding(
            uow, ref, 1, commands.FindingInput(finding="yes", rationale="Sensor recovered from a downed TB2")
        )
    with eg.uow(OFFICER) as uow:
        action = actions.recommend(
            uow,
            ref,
            actions.RecommendInput(
                command="cancel", permits=[numbers[0]], reason="Use contradicts the end-use assurances"
            ),
        )
    with eg.read() as s:
        shown = actions.preview(
            s, MINISTER, ref, action.id, data=actions.ExecuteInput(), today=date(2021, 4, 12)
        )
    assert [p.number for p in shown.permits] == [numbers[0]]  # exactly the permit concerned
    with eg.uow(OFFICER) as uow, pytest.raises(NotPermitted):
        actions.execute(uow, ref, action.id, actions.ExecuteInput())
    with eg.uow(MINISTER) as uow:
        result = actions.execute(uow, ref, action.id, actions.ExecuteInput(effective_date=date(2021, 4, 12)))
    assert result.permit_count == 1 and result.decision_ref == f"{ref}-A{action.id}"
    with eg.read() as s:
        states = dict(s.execute(select(Permit.number, Permit.state)).all())
        assert states == {numbers[0]: "cancelled", numbers[1]: "active"}
        assert (
            s.scalar(
                select(MinisterialDecision.command).where(
                    MinisterialDecision.reference == result.decision_ref
                )
            )
            == "cancel"
        )
        events = set(s.scalars(select(AuditEvent.command).where(AuditEvent.subject_ref == ref)))
    assert {
        "investigation_opened",
        "ask_question",
        "consult",
        "request_refused",
        "record_finding",
        "recommend_action",
        "execute_action",
    } <= events
    with eg.uow(MINISTER) as uow, pytest.raises(IllegalTransition):
        actions.execute(uow, ref, action.id, actions.ExecuteInput())  # once
    with eg.uow(OFFICER) as uow:
        commands.close(
            uow,
            ref,
            commands.CloseInput(outcome="action_taken", summary="Permit cancelled", on=date(2021, 4, 12)),
        )
    with eg.read() as s:
        story = views.get_investigation(s, OFFICER, ref)
        led = views.acts_from_allegations(s, OFFICER)
    kinds = [e.kind for e in story.timeline]
    assert kinds[0] == "allegation" and kinds[-1] == "closed" and "executed" in kinds
    assert [e.on for e in story.timeline] == sorted(e.on for e in story.timeline)
    assert [(x.investigation, x.command, x.permits) for x in led] == [(ref, "cancel", [numbers[0]])]


def test_close_outcome_must_match_the_record(eg: ExportGuard) -> None:
    ref = opened(eg, public_allegation(eg))
    with eg.uow(OFFICER) as uow, pytest.raises(Conflict):
        commands.close(uow, ref, commands.CloseInput(outcome="action_taken", summary="nothing was done"))
    with eg.uow(OFFICER) as uow:
        inv = commands.close(
            uow, ref, commands.CloseInput(outcome="insufficient_evidence", summary="no more")
        )
    assert inv.state == "closed"
    with eg.uow(OFFICER) as uow, pytest.raises(IllegalTransition):
        commands.ask_question(uow, ref, commands.QuestionInput(text="late?"))


def test_recommended_permits_must_exist_and_findings_come_first(eg: ExportGuard) -> None:
    ref = opened(eg, public_allegation(eg))
    with eg.uow(OFFICER) as uow, pytest.raises(IllegalTransition):
        actions.recommend(uow, ref, actions.RecommendInput(command="suspend", permits=["X-1"], reason="r"))
    with eg.uow(OFFICER) as uow:
        commands.ask_question(uow, ref, commands.QuestionInput(text="Used?"))
    with eg.uow(OFFICER) as uow:
        commands.record_finding(
            uow, ref, 1, commands.FindingInput(finding="insufficient_evidence", rationale="r")
        )
    with eg.uow(OFFICER) as uow, pytest.raises(InvalidInput) as bad:
        actions.recommend(uow, ref, actions.RecommendInput(command="suspend", permits=["X-1"], reason="r"))
    assert bad.value.problems[0].field == "permits"
    with eg.uow(OFFICER) as uow, pytest.raises(Conflict):
        commands.record_finding(uow, ref, 1, commands.FindingInput(finding="yes", rationale="again"))
