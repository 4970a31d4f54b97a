"""A breach of end-use assurances found by an investigation surfaces, with its source, in every later
determination, assessment and border check for the same destination, consignee and end user."""

from __future__ import annotations

from datetime import date

from exportguard.domain.access import Actor, Role
from exportguard.services.applications import assessments
from exportguard.services.border import authorisations
from exportguard.services.investigations import assurances, commands
from exportguard.services.policy import determination
from exportguard.services.system import ExportGuard
from tests.factories import OFFICER, World, approved, issued, submitted, world
from tests.integration.services.investigations.test_investigations import opened, public_allegation

CUSTOMS = Actor("customs.cbsa", Role.CUSTOMS)


def breach(eg: ExportGuard, w: World) -> tuple[str, str]:
    permit = issued(eg, w, quantity=3)
    with eg.uow(OFFICER) as uow:
        given = assurances.record_assurance(
            uow,
            assurances.AssuranceInput.model_validate(
                {
                    "permit": permit.number,
                    "given_by": "Mevlüt Çavuşoğlu, Minister of Foreign Affairs of Türkiye",
                    "country": "TR",
                    "form": "oral_assurance",
                    "given_on": date(2020, 4, 17),
                    "received_by": "François-Philippe Champagne",
                    "promises": {"end_use": "drones for use in Syria (Idlib)", "where_used": "Syria"},
                    "note": "Telephone call; recorded by the Minister's office",
                }
            ),
        )
    ref = opened(eg, public_allegation(eg))
    with eg.uow(OFFICER) as uow:
        commands.ask_question(uow, ref, commands.QuestionInput(text="Were the assurances complied with?"))
    with eg.uow(OFFICER) as uow:
        assurances.find_breached(
            uow, ref, assurances.BreachInput(assurance=given.reference, rationale="used in Nagorno-Karabakh",
                                             question=1, on=date(2021, 4, 12)),
        )  # fmt: skip
    return given.reference, ref


def test_flag_in_later_determination_assessment_and_border_check(eg: ExportGuard) -> None:
    w = world(eg)
    assurance, ref = breach(eg, w)
    later = date(2021, 5, 1)
    with eg.read() as s:
        found = determination.determine_export(
            s, OFFICER,
            determination.ProposedExport(destination="TR", items=["2-15"], consignee_id=w.consignee_id,
                                         end_user_id=w.end_user_id, on=later),
            later,
        )  # fmt: skip
        before = determination.determine_export(
            s,
            OFFICER,
            determination.ProposedExport(destination="TR", items=["2-15"], on=date(2021, 1, 1)),
            later,
        )
    subjects = {(f.subject, f.party or f.country) for f in found.diversion_flags}
    assert subjects == {
        ("destination", "TR"),
        ("consignee", "Baykar Makina"),
        ("end_user", "Turkish Ministry of National Defence"),
    }
    assert all(ref in f.source and assurance in f.source for f in found.diversion_flags)
    assert before.diversion_flags == []  # not yet raised on that day

    app = submitted(eg, w)
    with eg.read() as s:
        assessed = assessments.read_assessment(s, OFFICER, app.id, later)
        exporter_view = assessments.read_assessment(s, w.exporter_actor(), app.id, later)
    assert {f.subject for f in assessed.diversion_flags} == {"destination", "consignee", "end_user"}
    assert exporter_view.diversion_flags == []  # an internal finding: not shown to the exporter

    permit = issued(eg, w, quantity=2, app=approved(eg, w))
    with eg.uow(CUSTOMS) as uow:
        answer = authorisations.check_authorisation(
            uow, authorisations.CheckInput(permit=permit.number, shipped_on=later,
                                           lines=[authorisations.CheckLineInput(line_no=1, quantity=1)]),
        )  # fmt: skip
    assert {f.subject for f in answer.diversion_flags} == {"destination", "consignee", "end_user"}
    assert any("found breached" in f.message for f in answer.diversion_flags)
