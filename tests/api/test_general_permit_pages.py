"""General Export Permit No. 41 in the browser (registrations, reports due and overdue) and the
notices outbox."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from exportguard.adapters.clock import FixedClock
from exportguard.domain.permits import PermitCommand
from exportguard.services.kernel.common import Act
from exportguard.services.permits import commands as permits
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import MINISTER, World, issued


def test_an_exporter_registers_and_sees_its_reports_due_then_overdue(
    api: Api, w: World, clock: FixedClock
) -> None:
    clock.set(datetime(2020, 8, 20, 9, 0, tzinfo=UTC))  # the Feb-Jul 2020 report is due 2020-08-30
    sign_in(api.client, "exporter")
    page = api.client.get("/general-permits/41")
    assert page.status_code == 200 and "No report is due." in page.text
    assert "within 30 days of its end" in page.text
    done = api.client.post(
        "/general-permits/41/registrations",
        data={"exporter_id": str(w.exporter_id), "notified_on": "2020-03-02"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = api.client.get("/general-permits/41").text
    assert "Notice of first use recorded." not in page  # only after the redirect's ?done=
    due = re.search(
        r"2020-02-01 to 2020-07-31</td><td class=\"nowrap\">2020-08-30</td>\s*<td>(.*?)</td>", page
    )
    assert due and ">due<" in due[1]
    clock.set(datetime(2020, 9, 2, 9, 0, tzinfo=UTC))
    sign_in(api.client, "exporter")  # thirteen days on, the sign-in session has long ended
    assert ">overdue<" in api.client.get("/general-permits/41").text
    bad = api.client.post(
        "/general-permits/41/reports",
        data={"exporter_id": str(w.exporter_id), "period_end": "2020-07-30", "filed_on": "2020-09-02"},
    )
    assert bad.status_code == 409 and "31 January or 31 July" in bad.text
    filed = api.client.post(
        "/general-permits/41/reports",
        data={
            "exporter_id": str(w.exporter_id),
            "period_end": "2020-07-31",
            "filed_on": "2020-09-02",
            "consignee": ["UK MoD", "", ""],
            "item_code": ["2-15", "", ""],
            "destination": ["GB", "", ""],
            "quantity": ["2", "", ""],
            "value": ["1300000.00", "", ""],
        },
        follow_redirects=False,
    )
    assert filed.status_code == 303, filed.text
    page = api.client.get(filed.headers["location"]).text
    assert "Report recorded." in page and ">late<" in page
    due_table = page[page.index('id="due"') : page.index('id="registrations"')]
    assert "2020-02-01 to 2020-07-31" not in due_table
    assert "2019-08-01 to 2020-01-31" in due_table  # the year's other period, still overdue


def test_another_organisation_cannot_register_for_an_exporter(api: Api, w: World) -> None:
    sign_in(api.client, "rival")
    refused = api.client.post(
        "/general-permits/41/registrations",
        data={"exporter_id": str(w.exporter_id), "notified_on": "2020-03-02"},
    )
    assert refused.status_code == 404
    sign_in(api.client, "auditor")
    assert "Notify first use" not in api.client.get("/general-permits/41").text


def test_notices_outbox_newest_first_and_by_status(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    for command in (PermitCommand.SUSPEND, PermitCommand.REINSTATE):
        with eg.uow(MINISTER) as uow:
            permits.alter_permit(
                uow, permit.id, command, Act(reason="review", effective_date=date(2020, 10, 5))
            )
    sign_in(api.client, "exporter")
    page = api.client.get("/notices").text
    rows = re.findall(r"<tr><td>L3Harris Wescam</td><td>(.*?)</td>", page)
    assert len(rows) == 2 and "reinstated" in rows[0].lower()
    assert "No notices." in api.client.get("/notices?status=delivered").text
    sign_in(api.client, "rival")
    assert "No notices." in api.client.get("/notices").text
