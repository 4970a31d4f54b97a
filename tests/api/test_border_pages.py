"""The border page through the TestClient: the authorisation check (the reference case, recorded as
the API records it), declaration files checked or recorded, refused files, and who may use it."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from exportguard.db.models import AuthorisationCheck, Shipment
from exportguard.demo.loader import load_case
from exportguard.services.border.declaration_upload import MAX_UPLOAD_BYTES
from exportguard.services.system import ExportGuard
from exportguard.web.pages.border import FORM_OVERHEAD
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import World, issued

HEADER = "declaration_id,shipped_on,permit,quantity,line_no,port\n"


def ask(client: TestClient, day: str, **fields: str) -> httpx.Response:
    form = {
        "permit": "EXP-2020-104513",
        "shipped_on": day,
        "destination": "TR",
        "consignee": "Baykar",
        "goods": ["2-15", "", ""],
        "quantity": ["1", "", ""],
        "value": ["", "", ""],
        **fields,
    }
    return client.post("/border/check", data=form)


def send(
    client: TestClient, content: bytes | str, mode: str = "check", name: str = "d.csv"
) -> httpx.Response:
    data = content.encode() if isinstance(content, str) else content
    return client.post("/border/declarations", data={"mode": mode}, files={"file": (name, data, "text/csv")})


def recorded(eg: ExportGuard) -> tuple[int, int]:
    """How many checks and shipments are recorded."""
    with eg.read() as session:
        checks = session.scalar(select(func.count()).select_from(AuthorisationCheck))
        shipments = session.scalar(select(func.count()).select_from(Shipment))
    return checks or 0, shipments or 0


def check_rows(eg: ExportGuard) -> list[dict[str, Any]]:
    with eg.read() as session:
        rows = session.scalars(select(AuthorisationCheck).order_by(AuthorisationCheck.id)).all()
        return [{c.name: getattr(r, c.name) for c in AuthorisationCheck.__table__.columns} for r in rows]


def test_reference_case_authorised_on_2020_09_15_refused_on_2020_10_10(
    eg: ExportGuard, client: TestClient
) -> None:
    load_case(eg)
    sign_in(client, "customs.cbsa", demo=True, next_page="/border")
    before = client.get("/border")
    assert before.status_code == 200
    assert 'href="/border" aria-current="page"' in before.text

    authorised = ask(client, "2020-09-15")
    assert authorised.status_code == 200, authorised.text
    assert "verdict-ok" in authorised.text and ">Authorised</p>" in authorised.text
    refused = ask(client, "2020-10-10")
    assert refused.status_code == 200
    assert "verdict-bad" in refused.text and ">Not authorised</p>" in refused.text
    assert "suspended on 2020-10-05" in refused.text
    assert 'value="2020-10-10"' in refused.text  # the question stays filled in, to ask again

    recent = client.get("/border").text.split('id="recent-title"')[1]
    assert recent.index("2020-10-10") < recent.index("2020-09-15")  # newest first
    assert "suspended on 2020-10-05" in recent and "customs.cbsa" in recent


def test_a_check_is_recorded_exactly_as_the_api_records_it(eg: ExportGuard, client: TestClient) -> None:
    load_case(eg)
    question = {
        "permit": "EXP-2020-104513",
        "shipped_on": "2020-10-10",
        "destination": "TR",
        "consignee": "Baykar",
        "lines": [{"item_code": "2-15", "quantity": 1}],
    }
    api = client.post(
        "/api/authorisations/check", json=question, headers={"Authorization": "Bearer demo-customs-cbsa"}
    )
    assert api.status_code == 200
    sign_in(client, "customs.cbsa", demo=True, next_page="/border")
    assert ask(client, "2020-10-10").status_code == 200
    by_api, by_page = check_rows(eg)[-2:]
    assert by_api.pop("id") != by_page.pop("id")
    assert by_page == by_api
    assert by_page["reasons"] == [
        {"code": "suspended", "field": "shipped_on", "message": "suspended on 2020-10-05"}
    ]


def test_a_malformed_question_names_the_goods_line(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=4)
    sign_in(api.client, "customs")
    response = ask(
        api.client, "2020-06-18", permit=permit.number, quantity=["1", "two", ""], goods=["1", "1", ""]
    )
    assert response.status_code == 422
    assert "goods line 2 quantity" in response.text
    assert (
        'id="quantity-2" name="quantity"' in response.text
        and 'value="two" aria-invalid="true"' in response.text
    )
    nothing = ask(api.client, "2020-06-18", permit=permit.number, quantity=["", "", ""], goods=["", "", ""])
    assert nothing.status_code == 422 and "<strong>goods</strong>" in nothing.text
    assert recorded(eg) == (0, 0)


def test_who_may_use_the_page(api: Api, eg: ExportGuard, w: World) -> None:
    assert api.client.get("/border", follow_redirects=False).headers["location"] == "/login?next=/border"
    for who in ("auditor", "advisor"):
        sign_in(api.client, who)
        assert ('href="/border"' in api.client.get("/permits").text) is (who == "auditor")
        assert api.client.get("/border").status_code == (200 if who == "auditor" else 403)
        assert ask(api.client, "2020-06-18").status_code == 403
        assert send(api.client, HEADER).status_code == 403
    sign_in(api.client, "director")  # may check, may not record shipments
    page = api.client.get("/border").text
    assert 'href="/border"' in page and 'value="check"' in page and 'value="record"' not in page
    assert send(api.client, HEADER + "D-1,2020-06-18,X,1,1,\n", mode="record").status_code == 403
    assert recorded(eg) == (0, 0)


def test_exporters_see_only_their_organisations_checks(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=4)
    for who in ("exporter", "rival", "customs"):
        sign_in(api.client, who)
        assert ask(api.client, "2020-06-18", permit=permit.number, goods=["1", "", ""]).status_code == 200
    sign_in(api.client, "exporter")
    recent = api.client.get("/border").text.split('id="recent-title"')[1]
    assert "1 check recorded by your organisation, newest first" in recent
    assert "exporter" in recent and "rival" not in recent and "customs" not in recent
    sign_in(api.client, "officer")
    recent = api.client.get("/border").text.split('id="recent-title"')[1]
    assert "3 checks recorded, newest first" in recent and "rival" in recent


def test_auditors_read_the_recent_checks_without_the_forms(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=4)
    fields = {"permit": permit.number, "consignee": "Baykar Makina", "goods": ["1", "", ""]}
    sign_in(api.client, "customs")
    assert ask(api.client, "2020-06-18", **fields).status_code == 200
    assert ask(api.client, "2020-06-19", **fields, quantity=["9", "", ""]).status_code == 200
    sign_in(api.client, "exporter")
    assert ask(api.client, "2020-06-20", **fields).status_code == 200
    sign_in(api.client, "customs")
    customs_page = api.client.get("/border").text
    assert 'action="/border/check' in customs_page and 'type="file"' in customs_page
    sign_in(api.client, "auditor")
    page = api.client.get("/border")
    assert page.status_code == 200
    text = page.text
    assert 'href="/border" aria-current="page"' in text
    assert "<form" not in text.split('id="recent-title"')[0].split("</nav>")[1]  # no check, no file
    assert 'action="/border/check' not in text and 'action="/border/declarations' not in text
    assert 'type="file"' not in text and "Read only" in text
    recent = text.split('id="recent-title"')[1]
    assert "3 checks recorded, newest first" in recent
    rows = recent.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert [("exporter" in r, "customs" in r, "not authorised" in r) for r in rows] == [
        (True, False, False),
        (False, True, True),
        (False, True, False),
    ]
    assert "quantity 9 is above the 4 remaining on line 1" in rows[1]
    customs_recent = customs_page.split('id="recent-title"')[1]
    assert recent.split("</table>")[0] == customs_recent.split("</table>")[0]  # the record customs reads


def test_a_file_checked_reports_each_line_and_draws_nothing(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w, quantity=4)
    sign_in(api.client, "customs")
    content = (
        HEADER
        + f"D-1,2020-06-18,{permit.number},2,1,YYZ\n"
        + f"D-2,2020-06-1x,{permit.number},1,1,YYZ\n"
        + f"D-3,2020-06-18,{permit.number},3,1,YYZ\n"
    )
    response = send(api.client, content)
    assert response.status_code == 200, response.text
    text = response.text
    assert "d.csv: 3 lines checked" in text
    for verdict, count in (("authorised", 1), ("refused", 1), ("bad line", 1)):
        assert f">{verdict}</span> <strong>{count}</strong>" in text, verdict
    assert '<td class="num">3</td><td class="nowrap">D-2</td>' in text
    assert "shipped_on: &#39;2020-06-1x&#39; is not a date (YYYY-MM-DD)" in text
    assert "quantity 3 is above the 2 remaining on line 1" in text  # what line 2 would draw counts
    assert recorded(eg) == (1, 0)  # the file's check is recorded; nothing is drawn
    recent = api.client.get("/border").text.split('id="recent-title"')[1]
    assert (
        "file d.csv" in recent
        and "1 authorised, 1 refused, 1 bad" in recent
        and "line 3: unreadable" in recent
    )


def test_a_long_file_shows_its_first_500_lines_and_every_bad_line(
    api: Api, eg: ExportGuard, w: World
) -> None:
    permit = issued(eg, w, quantity=4)
    sign_in(api.client, "customs")
    rows = [f"D-{n},2020-06-18,{permit.number},9,1,\n" for n in range(510)] + ["D-X,2020-06-18,,1,1,\n"]
    response = send(api.client, HEADER + "".join(rows))
    assert response.status_code == 200
    assert "the first 500 lines and every bad line; 10 other lines left out" in response.text
    assert response.text.count('<td class="num">') == 501
    assert (
        '<td class="num">512</td><td class="nowrap">D-X</td>' in response.text
        and "permit: missing" in response.text
    )


def test_a_file_recorded_draws_and_sent_again_is_already_recorded(
    api: Api, eg: ExportGuard, w: World
) -> None:
    permit = issued(eg, w, quantity=4)
    sign_in(api.client, "customs")
    content = (
        HEADER + f"CBSA-7,2020-06-18,{permit.number},2,1,YYZ\nCBSA-8,2020-06-19,{permit.number},1,1,YYZ\n"
    )
    first = send(api.client, content, mode="record")
    assert first.status_code == 200, first.text
    assert "d.csv: 2 lines sent for recording" in first.text
    assert ">recorded</span> <strong>2</strong>" in first.text
    usage = api.get(f"/permits/{permit.id}/usage", "officer").json()["lines"][0]
    assert usage["shipped_quantity"] == 3
    again = send(api.client, content, mode="record")
    assert ">already recorded</span> <strong>2</strong>" in again.text
    assert ">recorded</span> <strong>0</strong>" in again.text
    assert api.get(f"/permits/{permit.id}/usage", "officer").json()["lines"][0]["shipped_quantity"] == 3
    assert recorded(eg) == (0, 2)


def test_a_bad_file_is_refused_naming_what_is_wrong_and_nothing_is_recorded(
    api: Api, eg: ExportGuard, w: World
) -> None:
    permit = issued(eg, w, quantity=4)
    sign_in(api.client, "customs")
    row = f"D-1,2020-06-18,{permit.number},1,1,YYZ\n"
    cases = [
        (HEADER + row, "d.xlsx", 422, "d.xlsx is not a CSV file (.csv)"),
        (row, "d.csv", 422, "line 1: missing column(s) declaration_id, shipped_on, permit, quantity"),
        ((HEADER + row).encode("utf-16"), "d.csv", 422, "d.csv is UTF-16 text, not UTF-8"),
        (b"PK\x03\x04\x00\x00" + HEADER.encode(), "d.csv", 422, "d.csv is a binary file (a spreadsheet?)"),
        (HEADER.encode() + "D-1,2020-06-18,É,1,1\n".encode("latin-1"), "d.csv", 422, "not UTF-8 text"),
        ("", "d.csv", 422, "d.csv is empty"),
        (HEADER, "d.csv", 422, "d.csv has a header row but no declaration lines"),
        (HEADER + row * (MAX_UPLOAD_BYTES // len(row) + 1), "d.csv", 413, "the limit here is 20 MB"),
        (HEADER + row * ((MAX_UPLOAD_BYTES + FORM_OVERHEAD) // len(row) + 1), "d.csv", 413, "20 MB"),
    ]
    for content, name, status, message in cases:
        for mode in ("check", "record"):
            response = send(api.client, content, mode=mode, name=name)
            assert response.status_code == status, (name, mode, response.text[-500:])
            assert "There is a problem" in response.text and message in response.text, (name, mode)
    assert recorded(eg) == (0, 0)


def test_a_form_from_another_site_is_refused(api: Api, eg: ExportGuard, w: World) -> None:
    sign_in(api.client, "customs")
    evil = {"Origin": "https://evil.example"}
    assert api.client.post("/border/check", data={"permit": "X"}, headers=evil).status_code == 403
    files = {"file": ("d.csv", HEADER, "text/csv")}
    assert api.client.post("/border/declarations", files=files, headers=evil).status_code == 403
    assert recorded(eg) == (0, 0)


def test_a_refusal_in_french_gives_its_reasons_in_french(eg: ExportGuard, client: TestClient) -> None:
    load_case(eg)
    sign_in(client, "customs.cbsa", demo=True, next_page="/border")
    refused = client.post(
        "/border/check?lang=fr",
        data={
            "permit": "EXP-2020-104513",
            "shipped_on": "2020-10-10",
            "destination": "AZ",
            "consignee": "Baykar",
            "goods": ["2-15", "", ""],
            "quantity": ["1", "", ""],
            "value": ["", "", ""],
        },
    )
    assert refused.status_code == 200 and 'lang="fr"' in refused.text
    reasons = refused.text.split('class="reasons"')[1].split("</ul>")[0]
    assert "suspendue le 2020-10-05" in reasons
    assert "la destination AZ diffère de celle de la licence, TR" in reasons
    assert "suspended on" not in reasons and "differs" not in reasons

    api = client.post(
        "/api/authorisations/check",
        json={
            "permit": "EXP-2020-104513",
            "shipped_on": "2020-10-10",
            "lines": [{"item_code": "2-15", "quantity": 1}],
        },
        headers={"Authorization": "Bearer demo-customs-cbsa", "Accept-Language": "fr-CA"},
    )
    assert api.status_code == 200
    [reason] = api.json()["reasons"]
    assert reason["message"] == "suspendue le 2020-10-05"
    assert (reason["code"], reason["message_code"], reason["params"]) == (
        "suspended",
        "border.state_on",
        {"day": "2020-10-05", "state": "suspended"},
    )
