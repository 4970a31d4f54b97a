"""The public's report form and the investigation's pages through the TestClient."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from exportguard.adapters.clock import FixedClock
from exportguard.demo.loader import load_case
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import World, issued

FORM = {
    "source_kind": "ngo",
    "source_name": "Project Ploughshares",
    "claim": "Wescam sensors seen on TB2 drones over Nagorno-Karabakh",
    "concern_destination": "TR",
    "concern_conflict": "Nagorno-Karabakh",
}


def test_report_form_without_an_account(api: Api, client: TestClient) -> None:
    assert client.get("/report").status_code == 200
    sent = client.post("/report", data=FORM)
    assert sent.status_code == 201, sent.text
    assert re.search(r"ALG-[0-9A-Z]{10}", sent.text)
    assert "Project Ploughshares" not in sent.text  # the receipt repeats nothing
    bad = client.post("/report", data={**FORM, "concern_destination": "ZZ"})
    assert bad.status_code == 422 and "not an ISO 3166 country code" in bad.text
    for _ in range(3):  # five a client: two were sent above (the refused one counts too)
        assert client.post("/report", data=FORM).status_code == 201
    assert client.post("/report", data=FORM).status_code == 429
    assert client.get("/allegations", follow_redirects=False).status_code in (303, 401)


def test_triage_and_investigation_pages(api: Api, client: TestClient, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=2)
    ref = re.search(r"ALG-[0-9A-Z]{10}", client.post("/report", data=FORM).text).group(0)  # type: ignore[union-attr]
    sign_in(client, "officer")
    assert ref in client.get("/allegations").text
    opened = client.post(
        f"/allegations/{ref}/triage", data={"decision": "open", "title": "TB2", "reason": "credible"}
    )
    inv = re.search(r"INV-\d{4}-\d{4}", opened.text).group(0)  # type: ignore[union-attr]
    assert opened.status_code == 200 and inv in opened.url.path
    client.post(f"/investigations/{inv}/question", data={"text": "Were Canadian goods used?"})
    up = client.post(
        f"/investigations/{inv}/evidence", files={"file": ("n.txt", b"witness statement", "text/plain")}
    )
    assert "witness statement" not in up.text and "n.txt" in up.text
    bad = client.post(
        f"/investigations/{inv}/evidence", files={"file": ("x.html", b"<html>x</html>", "text/html")}
    )
    assert bad.status_code == 422 and "markup" in bad.text
    client.post(f"/investigations/{inv}/finding", data={"number": "1", "finding": "yes", "rationale": "seen"})
    page = client.post(
        f"/investigations/{inv}/recommend",
        data={"command": "cancel", "permits": permit.number, "reason": "breach"},
    )
    assert "recommended" in page.text and permit.number in page.text
    assert "Preview" not in page.text.split("Recommended acts")[1].split("</table>")[0]  # officers do not act
    sign_in(client, "minister")
    found = re.search(r'name="action" value="(\d+)"', client.get(f"/investigations/{inv}").text)
    assert found is not None
    action = found.group(1)
    shown = client.post(
        f"/investigations/{inv}/preview", data={"action": action, "effective_date": "2021-04-12"}
    )
    assert shown.status_code == 200 and f"{permit.number}/v1" in shown.text
    done = client.post(
        f"/investigations/{inv}/execute", data={"action": action, "effective_date": "2021-04-12"}
    )
    assert done.status_code == 200 and f"{inv}-A{action}" in done.url.path
    assert api.get(f"/permits/{permit.id}", "officer").json()["state"] == "cancelled"


def test_application_and_permit_pages_show_assurances_and_lobbying(
    api: Api, client: TestClient, eg: ExportGuard, clock: FixedClock
) -> None:
    load_case(eg)
    permit = api.get("/permits/EXP-2020-104512", "officer").json()
    sign_in(client, "officer")
    for path in (f"/applications/{permit['application_id']}", "/permits/EXP-2020-104512"):
        shown = client.get(path).text
        assert "Ken Mackay" in shown and "Privy Council Office" in shown
        assert "EUA-2020-" in shown and "oral assurance" in shown and "Syria (Idlib)" in shown
    clock.set(datetime(2021, 5, 3, 9, 0, tzinfo=UTC))  # after the finding of breach (12 Apr 2021)
    sign_in(client, "officer")  # months on, the sign-in session has long ended
    assert "Diversion flag" in client.get(f"/applications/{permit['application_id']}").text
    sign_in(client, "exporter.wescam", demo=True)  # its own application: neither shown
    own = client.get(f"/applications/{permit['application_id']}")
    assert own.status_code == 200 and "MX-15D" in own.text
    shown = own.text
    assert "Ken Mackay" not in shown and "EUA-2020-" not in shown and "Diversion flag" not in shown
