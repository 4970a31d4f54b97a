"""Lobbying communications imported from the registry's export, linked to applications and decisions."""

from __future__ import annotations

from datetime import date

import pytest

from exportguard.adapters import lobbying_registry
from exportguard.domain.errors import InvalidInput, NotPermitted
from exportguard.services.lobbying import links, records
from exportguard.services.system import ExportGuard
from tests.factories import DIRECTOR, OFFICER, approved, world

PRIMARY = (
    "COMLOG_ID,CLIENT_ORG_CORP_NUM,EN_CLIENT_ORG_CORP_NM_AN,FR_CLIENT_ORG_CORP_NM,REGISTRANT_NUM_DECLARANT,"
    "RGSTRNT_LAST_NM_DCLRNT,RGSTRNT_1ST_NM_PRENOM_DCLRNT,COMM_DATE,REG_TYPE_ENR,SUBMISSION_DATE_SOUMISSION,"
    "POSTED_DATE_PUBLICATION,PREV_COMLOG_ID_PRECEDNT\n"
    "500001,9001,Baykar Makina A.Ş.,,7001,Mackay,Ken,2020-04-02,1,2020-05-10,2020-05-11,\n"
    "500002,9002,Other Client Inc.,,7002,Doe,Jane,2020-04-03,1,2020-05-10,2020-05-11,\n"
)
DPOH = (
    "COMLOG_ID,DPOH_LAST_NM_TCPD,DPOH_FIRST_NM_PRENOM_TCPD,DPOH_TITLE_TITRE_TCPD,BRANCH_UNIT_DIRECTION_SERVICE,"
    "OTHER_INSTITUTION_AUTRE,INSTITUTION\n"
    "500001,Jennings,Philip,Official,,,Privy Council Office\n"
)
SUBJECTS = "COMLOG_ID,SUBJ_MATTER_OBJET\n500001,International Trade\n500001,Defence\n"


def export(primary: str = PRIMARY) -> dict[str, bytes]:
    return {
        lobbying_registry.PRIMARY: primary.encode(),
        lobbying_registry.DPOH: DPOH.encode(),
        lobbying_registry.SUBJECTS: SUBJECTS.encode(),
    }


def test_import_is_idempotent_and_reads_officials_and_subjects(eg: ExportGuard) -> None:
    with eg.uow(OFFICER) as uow:
        first = records.import_communications(uow, export(), "export.zip")
    with eg.uow(OFFICER) as uow:
        again = records.import_communications(uow, export(), "export.zip")
    assert (first.added, first.changed, first.unchanged) == (2, 0, 0)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 2)
    with eg.uow(OFFICER) as uow:
        changed = records.import_communications(
            uow, export(PRIMARY.replace("2020-04-03", "2020-04-04")), "v2"
        )
    assert (changed.added, changed.changed, changed.unchanged) == (0, 1, 1)
    with eg.read() as s:
        baykar = records.list_communications(s, OFFICER, client="baykar")
    assert len(baykar) == 1
    assert baykar[0].lobbyist == "Ken Mackay" and baykar[0].client == "Baykar Makina A.Ş."
    assert baykar[0].officials[0]["name"] == "Philip Jennings"
    assert baykar[0].institutions == ["Privy Council Office"]
    assert baykar[0].subject_matters == ["Defence", "International Trade"]


def test_windows_1252_exports_are_read() -> None:
    primary = PRIMARY.replace("Ş", "S").replace("Other Client Inc.", "Société Lévis Ltée").encode("cp1252")
    parsed = lobbying_registry.parse({lobbying_registry.PRIMARY: primary})
    assert [c.client for c in parsed] == ["Baykar Makina A.S.", "Société Lévis Ltée"]


def test_bad_export_names_the_file_and_column(eg: ExportGuard) -> None:
    with pytest.raises(InvalidInput, match="COMM_DATE"):
        lobbying_registry.parse({lobbying_registry.PRIMARY: b"COMLOG_ID,EN_CLIENT_ORG_CORP_NM_AN\n1,x\n"})
    with pytest.raises(InvalidInput, match="not a date"):
        lobbying_registry.parse(export(PRIMARY.replace("2020-04-02", "April 2")))
    with pytest.raises(InvalidInput, match="zip"):
        lobbying_registry.files_from_zip(b"not a zip")


def test_linked_through_the_parties_and_reported_with_the_decision(eg: ExportGuard) -> None:
    w = world(eg)  # the consignee is "Baykar Makina"
    app = approved(eg, w)  # decided by the director on the test clock's day (2020-04-20)
    with eg.uow(OFFICER) as uow:
        records.import_communications(uow, export(), "export.zip")
    with eg.read() as s:
        linked = links.for_application(s, OFFICER, app.id)
        hidden = links.for_application(s, w.exporter_actor(), app.id)
        report = links.decisions_while_lobbied(s, DIRECTOR, destination="TR")
    assert [(c.comlog_id, c.party) for c in linked] == [("500001", "Baykar Makina")]
    assert hidden == []
    assert len(report) == 1
    row = report[0]
    assert (row.application, row.decided_by, row.decided_on) == (
        app.reference,
        DIRECTOR.principal,
        date(2020, 4, 20),
    )
    assert [c.comlog_id for c in row.communications] == ["500001"]
    with eg.read() as s, pytest.raises(NotPermitted):
        links.decisions_while_lobbied(s, w.exporter_actor())
