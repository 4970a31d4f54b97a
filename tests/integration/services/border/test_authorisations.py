"""The border's check on a real database: every reason, recorded, and the reference case's answer."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from exportguard.db.models import AuthorisationCheck
from exportguard.demo.loader import load_case
from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import NotPermitted
from exportguard.domain.permits import PermitCommand
from exportguard.services.border import authorisations, shipments
from exportguard.services.border.authorisations import CheckInput
from exportguard.services.border.circumstances import Circumstances
from exportguard.services.border.read_model import PermitReadModel
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.factories import AUDITOR, MINISTER, issued, world
from tests.integration.services.border.test_shipments import CUSTOMS, ship

OTHER = {"join_transaction_mode": "create_savepoint", "expire_on_commit": False}


def question(permit: str, day: date, qty: int = 1, **extra: object) -> CheckInput:
    return CheckInput.model_validate(
        {"permit": permit, "shipped_on": day, "lines": [{"line_no": 1, "quantity": qty}], **extra}
    )


def test_a_check_is_answered_with_every_reason_and_recorded(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    ask = question(permit.number, date(2020, 6, 1), 5, destination="az", consignee="Nobody")
    with eg.uow(CUSTOMS) as uow:
        answer = authorisations.check_authorisation(uow, ask)
    assert not answer.authorised
    assert [r.code for r in answer.reasons] == [
        "destination_differs",
        "consignee_differs",
        "quantity_above_remaining",
    ]
    with eg.read() as s:
        row = s.scalars(select(AuthorisationCheck)).one()
    assert (row.principal, row.role, row.permit_ref, row.permit_id, row.authorised) == (
        "customs.cbsa",
        "customs",
        permit.number,
        permit.id,
        False,
    )
    assert row.asked_at == eg.clock.now()
    assert row.question["destination"] == "AZ" and row.reasons[0]["field"] == "destination"


def test_checks_recorded_in_a_batch_read_back_as_the_single_path_records_them(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    asked = [question(permit.number, date(2020, 6, 1), q, destination="TR") for q in (1, 5)]
    asked.append(question("NO-SUCH-PERMIT", date(2020, 6, 1)))
    with eg.uow(CUSTOMS) as uow:
        model = PermitReadModel(eg)
        rows = [
            authorisations.check_row(
                CUSTOMS, eg.clock.now(), authorisations.answer_from_model(model, CUSTOMS, a, Circumstances())
            )
            for a in asked
        ]
        authorisations.record_checks(uow.session, rows)
        uow.commit()
    with eg.read() as s:
        got = s.scalars(select(AuthorisationCheck).order_by(AuthorisationCheck.id)).all()
    assert [(r.permit_ref, r.permit_id, r.authorised) for r in got] == [
        (permit.number, permit.id, True),
        (permit.number, permit.id, False),
        ("NO-SUCH-PERMIT", None, False),
    ]
    assert all(r.asked_at == eg.clock.now() and r.principal == "customs.cbsa" for r in got)
    assert [r.question for r in got] == [row["question"] for row in rows]
    assert got[0].reasons == [] and got[1].reasons[0]["code"] == "quantity_above_remaining"


def test_no_permit_and_only_own_permits_for_exporters(eg: ExportGuard) -> None:
    w = world(eg)
    permit = issued(eg, w, quantity=4)
    with eg.uow(CUSTOMS) as uow:
        assert authorisations.check_authorisation(uow, question("EXP-404", date(2020, 6, 1))).reasons[
            0
        ].message == ("no permit EXP-404")
    stranger = Actor("exporter.rival", Role.EXPORTER, w.consignee_id)
    with eg.uow(stranger) as uow:
        assert [
            r.code
            for r in authorisations.check_authorisation(
                uow, question(permit.number, date(2020, 6, 1))
            ).reasons
        ] == ["no_permit"]
    with eg.uow(w.exporter_actor()) as uow:
        assert authorisations.check_authorisation(uow, question(permit.number, date(2020, 6, 1))).authorised
    with pytest.raises(NotPermitted), eg.uow(AUDITOR) as uow:
        authorisations.check_authorisation(uow, question(permit.number, date(2020, 6, 1)))


def test_the_read_model_sees_this_process_changes_at_once(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=2)
    model = PermitReadModel(eg, max_age=3600)
    ask = question(str(permit.id), date(2020, 10, 10), 2)
    with eg.uow(CUSTOMS) as uow:
        assert authorisations.check_authorisation(uow, ask, model).authorised
    with eg.uow(CUSTOMS) as uow:
        shipments.record_shipment(uow, ship(permit.id, 1))
    with eg.uow(CUSTOMS) as uow:
        after_shipment = authorisations.check_authorisation(uow, ask, model)
    assert after_shipment.reasons[0].message == "quantity 2 is above the 1 remaining on line 1"
    with eg.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.SUSPEND, Act(reason="review", effective_date=date(2020, 10, 5))
        )
    with eg.uow(CUSTOMS) as uow:
        after_suspension = authorisations.check_authorisation(
            uow, question(permit.number, date(2020, 10, 10)), model
        )
    assert after_suspension.reasons[0].message == "suspended on 2020-10-05"


def test_the_reference_case_mx15d_permit_before_and_after_the_suspension(eg: ExportGuard) -> None:
    """Case question: was a shipment against the MX-15D permit on 2020-10-10 authorised?"""
    load_case(eg)
    # EXP-2020-104513: 3 MX-15D licensed, 2 shipped on 2020-09-10, so 1 remains.
    before = question("EXP-2020-104513", date(2020, 9, 15), destination="TR", consignee="Baykar")
    after = question("EXP-2020-104513", date(2020, 10, 10), destination="TR", consignee="Baykar")
    model = PermitReadModel(eg)
    for source in (None, model):
        with eg.uow(CUSTOMS) as uow:
            assert authorisations.check_authorisation(uow, before, source).authorised
        with eg.uow(CUSTOMS) as uow:
            refused = authorisations.check_authorisation(uow, after, source)
        assert not refused.authorised
        assert [r.message for r in refused.reasons] == ["suspended on 2020-10-05"]


def test_the_read_model_notices_other_processes_changes_by_its_change_feed(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=2)
    model = PermitReadModel(eg, max_age=0)  # read the change feed on every question
    ask = question(permit.number, date(2020, 10, 10))
    with eg.uow(CUSTOMS) as uow:
        assert authorisations.check_authorisation(uow, ask, model).authorised
    # Another process: its sessions come from another factory, so no local invalidation fires.
    elsewhere = ExportGuard(eg.engine, sessionmaker(bind=eg.session_factory.kw["bind"], **OTHER), eg.clock)
    with elsewhere.uow(MINISTER) as uow:
        permits.alter_permit(
            uow, permit.id, PermitCommand.SUSPEND, Act(reason="review", effective_date=date(2020, 10, 5))
        )
    with eg.uow(CUSTOMS) as uow:
        assert (
            authorisations.check_authorisation(uow, ask, model).reasons[0].message
            == "suspended on 2020-10-05"
        )
