"""The officers' workplace in pages: the queue (filters, age against the service standard, assign to
me), the case page, a request for information answered with a document, the assessment form, advice
requested and given, the decision and the issue of the permit."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from exportguard.adapters.clock import FixedClock
from exportguard.domain.assessment import Consideration
from exportguard.services.applications.queue import business_days
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import World, submitted

PDF = b"%PDF-1.4\n% an end-use assurance\n%%EOF\n"


def assessment_form(residual: str = "low") -> dict[str, str]:
    form = {
        "mitigating_measures": "End-use assurance from the Turkish MND\nNo re-export without consent",
        "diversion_risk": "low",
        "diversion_rationale": "Government end user with assurances",
        "recommendation": "issue",
        "recommendation_rationale": "No substantial risk after mitigation",
    }
    for n, _c in enumerate(Consideration):
        form |= {
            f"findings.{n}.risk": "low",
            f"findings.{n}.residual_risk": residual,
            f"findings.{n}.rationale": "x",
        }
    return form


def test_business_days_skip_weekends() -> None:
    assert business_days(date(2020, 4, 20), date(2020, 4, 20)) == 0
    assert business_days(date(2020, 4, 17), date(2020, 4, 20)) == 1  # Friday to Monday
    assert business_days(date(2020, 4, 20), date(2020, 5, 4)) == 10


def test_a_case_from_the_queue_to_the_permit(api: Api, eg: ExportGuard, w: World, clock: FixedClock) -> None:
    app = submitted(eg, w)
    clock.set(datetime(2020, 6, 29, 9, 0, tzinfo=UTC))  # 50 business days later: over the standard
    sign_in(api.client, "officer")
    queue = api.client.get("/queue?destination=TR&item_group=2&assignee=none").text
    assert app.reference in queue and "over-standard" in queue
    assert "No cases match" in api.client.get("/queue?assignee=me").text
    bad = api.client.get("/queue?item_group=twelve")
    assert bad.status_code == 422 and 'id="item_group-error"' in bad.text

    api.client.post(f"/applications/{app.id}/take")
    case = api.client.get(f"/applications/{app.id}").text
    assert "under review" in case and "with officer" in case
    assert app.reference in api.client.get("/queue?assignee=me").text

    missing = api.client.post(f"/applications/{app.id}/requests", data={"question": ""})
    assert missing.status_code == 422 and 'id="question-error"' in missing.text
    api.client.post(
        f"/applications/{app.id}/requests",
        data={"question": "Send the signed end-use certificate.", "due_on": "2020-07-10"},
    )
    assert (
        "waiting" not in api.client.get("/queue").text.lower()
        or "the applicant" in api.client.get("/queue").text
    )

    sign_in(api.client, "exporter")
    case = api.client.get(f"/applications/{app.id}").text
    form = re.search(r'action="(/applications/\d+/requests/\d+/answer)"', case)
    assert form and "Send the signed end-use certificate." in case
    answered = api.client.post(
        form[1],
        data={"answer": "Attached, signed on 17 April.", "kind": "end_use_certificate"},
        files={"file": ("euc-signed.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert answered.status_code == 303, answered.text
    case = api.client.get(f"/applications/{app.id}").text
    assert "Attached, signed on 17 April." in case and "euc-signed.pdf" in case

    sign_in(api.client, "officer")
    wrong = api.client.post(
        f"/applications/{app.id}/assess", data={**assessment_form(), "findings.2.risk": ""}
    )
    assert wrong.status_code == 422 and 'id="findings-2-risk-error"' in wrong.text
    assert api.client.post(f"/applications/{app.id}/assess", data=assessment_form()).status_code == 200
    late = api.client.post(
        f"/applications/{app.id}/advice-requests",
        data={"department": "National Defence", "advice_due_on": "2020-01-01"},
    )
    assert late.status_code == 422 and 'id="advice_due_on-error"' in late.text
    api.client.post(
        f"/applications/{app.id}/advice-requests",
        data={"department": "National Defence", "advice_due_on": "2020-07-15", "note": "Use of the sensors"},
    )
    assert "National Defence" in api.client.get("/queue").text

    sign_in(api.client, "advisor")
    assert "National Defence" in api.client.get(f"/applications/{app.id}/advice").text
    api.client.post(
        f"/applications/{app.id}/advice",
        data={"department": "National Defence", "advice": "no_objection", "rationale": "NATO ally"},
    )

    sign_in(api.client, "director")
    unchosen = api.client.post(f"/applications/{app.id}/decide", data={"justification": "ok"})
    assert unchosen.status_code == 422 and 'id="outcome-error"' in unchosen.text
    api.client.post(
        f"/applications/{app.id}/decide", data={"outcome": "approve", "justification": "Low risk"}
    )
    assert "approved" in api.client.get(f"/applications/{app.id}").text

    sign_in(api.client, "officer")
    issue = api.client.get(f"/applications/{app.id}/issue").text
    assert 'value="7"' in issue  # the quantity applied for, offered
    done = api.client.post(
        f"/applications/{app.id}/issue",
        data={
            "valid_from": "2020-07-01",
            "valid_to": "2021-06-30",
            "lines.0.line_no": "1",
            "lines.0.quantity": "7",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    case = api.client.get(f"/applications/{app.id}").text
    assert re.search(r'href="/permits/\d+"', case)


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("exporter", "/portal", 200),
        ("customs", "/portal", 403),
        ("officer", "/queue", 200),
        ("advisor", "/queue", 200),
        ("minister", "/queue", 200),
        ("exporter", "/queue", 403),
        ("customs", "/queue", 403),
        ("officer", "/applications/{app}/assess", 200),
        ("exporter", "/applications/{app}/assess", 403),
        ("advisor", "/applications/{app}/advice", 404),  # not sent for advice: not shown
        ("officer", "/applications/{app}/advice", 403),
        ("director", "/applications/{app}/decide", 200),
        ("officer", "/applications/{app}/decide", 403),
        ("officer", "/applications/{app}/issue", 200),
        ("advisor", "/applications/{app}/issue", 403),
        ("exporter", "/applications/{app}/draft", 200),
        ("rival", "/applications/{app}/draft", 404),
        ("rival", "/applications/{app}", 404),
        ("customs", "/applications/{app}", 403),
    ],
)
def test_workplace_pages_keep_the_access_rules(
    api: Api, eg: ExportGuard, w: World, who: str, path: str, status: int
) -> None:
    app = submitted(eg, w)
    sign_in(api.client, who)
    assert api.client.get(path.format(app=app.id)).status_code == status


def test_roles_see_only_their_forms(api: Api, eg: ExportGuard, w: World) -> None:
    app = submitted(eg, w)
    sign_in(api.client, "exporter")
    case = api.client.get(f"/applications/{app.id}").text
    assert "Take the case" not in case and "Decide" not in case
    assert api.client.post(f"/applications/{app.id}/take").status_code == 403
    sign_in(api.client, "rival")
    assert api.client.get(f"/applications/{app.id}").status_code == 404


def test_the_queue_is_filtered_by_any_officer(api: Api, eg: ExportGuard, w: World) -> None:
    taken, left = submitted(eg, w), submitted(eg, w)
    sign_in(api.client, "officer")
    api.client.post(f"/applications/{taken.id}/take")
    page = api.client.get("/queue").text
    picker = page.split('<select id="assignee" name="assignee"')[1].split("</select>")[0]
    assert '<option value="officer" >officer</option>' in picker  # every officer, not only me / nobody
    assert '<option value="me" >me</option>' in picker and '<option value="none" >nobody</option>' in picker
    theirs = api.client.get("/queue?assignee=officer").text
    assert taken.reference in theirs and left.reference not in theirs
    sign_in(api.client, "director")  # another role reads the officer's cases by the officer's name
    assert taken.reference in api.client.get("/queue?assignee=officer").text
    nobody = api.client.get("/queue?assignee=officer.elsewhere").text
    assert "No cases match" in nobody
