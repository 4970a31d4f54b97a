"""The public's report form and the investigation's pages through the TestClient."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from exportguard.adapters.clock import FixedClock
from exportguard.demo.loader import load_case
from exportguard.services.investigations import verification
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import OFFICER, World, issued

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


def test_more_investigators_are_assigned_on_the_investigation_page(
    api: Api, client: TestClient, eg: ExportGuard, w: World
) -> None:
    ref = re.search(r"ALG-[0-9A-Z]{10}", client.post("/report", data=FORM).text).group(0)  # type: ignore[union-attr]
    sign_in(client, "officer")
    opened = client.post(
        f"/allegations/{ref}/triage", data={"decision": "open", "title": "TB2", "reason": "x"}
    )
    inv = re.search(r"INV-\d{4}-\d{4}", opened.text).group(0)  # type: ignore[union-attr]
    assert 'aria-label="Assign investigators"' in opened.text
    done = client.post(f"/investigations/{inv}/assign", data={"investigators": "director, auditor"})
    assert done.status_code == 200 and "director, auditor" in done.text, done.text
    assert {"director", "auditor"} <= set(
        api.get(f"/investigations/{inv}", "auditor").json()["investigators"]
    )
    empty = client.post(f"/investigations/{inv}/assign", data={"investigators": " "})
    assert empty.status_code == 422
    nobody = client.post(f"/investigations/{inv}/assign", data={"investigators": "nobody.here"})
    assert nobody.status_code == 422 and "no principal named" in nobody.text
    sign_in(client, "auditor")  # reads the investigation, may not investigate: no form
    assert 'aria-label="Assign investigators"' not in client.get(f"/investigations/{inv}").text


def test_verification_checks_are_planned_and_done_on_the_permit_page(
    api: Api, client: TestClient, eg: ExportGuard, w: World
) -> None:
    permit = issued(eg, w, quantity=2)
    sign_in(client, "officer")
    page = client.get(f"/permits/{permit.number}")
    assert "Post-shipment verification" in page.text and "No verification check planned." in page.text
    form = f"/permits/{permit.number}/verification"
    missing = client.post(form, data={"form": "plan", "place": "", "planned_on": ""})
    assert missing.status_code == 422 and 'aria-invalid="true"' in missing.text
    planned = client.post(
        form, data={"form": "plan", "place": "Baykar, Istanbul", "planned_on": "2020-11-02"}
    )
    assert planned.status_code == 200 and "Baykar, Istanbul" in planned.text, planned.text
    (check,) = _checks(eg, permit.number)
    assert check.state == "planned"
    other = {"form": "result", "check": str(check.id + 99), "result": "diverted"}
    elsewhere = client.post(form, data=other)
    assert elsewhere.status_code == 422 and "not found" in elsewhere.text
    result = {"result": "access_refused", "notes": "access refused by the end user", "on": "2020-11-03"}
    done = client.post(form, data={"form": "result", "check": str(check.id), **result})
    assert done.status_code == 200 and "access refused by the end user" in done.text
    assert [(c.state, c.result) for c in _checks(eg, permit.number)] == [("done", "access_refused")]
    french = client.get(f"/permits/{permit.number}?lang=fr").text
    assert "Vérification après expédition" in french
    sign_in(client, "exporter")
    own = client.get(f"/permits/{permit.number}").text
    assert "Post-shipment verification" not in own and "Baykar, Istanbul" not in own
    assert (
        client.post(form, data={"form": "plan", "place": "x", "planned_on": "2020-11-02"}).status_code == 403
    )


def _checks(eg: ExportGuard, number: str) -> list[verification.CheckView]:
    with eg.read() as session:
        return verification.list_checks(session, OFFICER, number)
