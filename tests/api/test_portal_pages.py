"""The exporter's portal: a draft step by step, each problem beside its field and linked from the
summary, a document uploaded (kept with SHA-256; served back only as an attachment), submission."""

from __future__ import annotations

import hashlib
import re

from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import World, issued

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def start(api: Api) -> int:
    response = api.client.post("/portal/applications", data={"destination": "TR"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/applications/(\d+)/draft", response.headers["location"])
    assert found
    return int(found[1])


def test_an_exporter_drafts_step_by_step_and_submits(api: Api, eg: ExportGuard, w: World) -> None:
    sign_in(api.client, "exporter")
    app_id = start(api)
    steps = api.client.get(f"/applications/{app_id}/draft").text
    assert steps.count("Not started") == 5

    goods = {
        "lines.0.product_id": str(w.product_id),
        "lines.0.item_code": "2-15",
        "lines.0.description": "MX-15D EO/IR imaging and laser designation turret",
        "lines.0.quantity": "seven",
        "lines.0.unit_value": "1200000.00",
        "lines.0.us_content_percent": "0",
    }
    wrong = api.client.post(f"/applications/{app_id}/draft/goods", data=goods)
    assert wrong.status_code == 422
    # the problem beside its field, in plain words, and the summary links to that field
    assert 'id="lines-0-quantity-error"' in wrong.text
    assert "Enter a whole number, like 7." in wrong.text
    assert 'href="#lines-0-quantity"' in wrong.text
    assert 'id="lines-0-quantity"' in wrong.text and 'aria-invalid="true"' in wrong.text
    assert 'value="seven"' in wrong.text  # what was typed is kept

    goods["lines.0.quantity"] = "7"
    assert api.client.post(f"/applications/{app_id}/draft/goods", data=goods).status_code == 200
    parties = {"consignee": str(w.consignee_id), "end_user": str(w.end_user_id)}
    api.client.post(f"/applications/{app_id}/draft/parties", data=parties)
    end_use = {
        "destination": "TR",
        "end_use": "Integration on TB2 aircraft of the Turkish armed forces",
        "end_use_location": "Turkey",
        "requested_valid_from": "2020-05-22",
        "requested_valid_to": "2021-06-30",
    }
    api.client.post(f"/applications/{app_id}/draft/end-use", data=end_use)
    document = {"kind": "end_use_certificate", "reference": "TR-MND-EUC-1", "issued_by": "Turkish MND"}
    sent = api.client.post(
        f"/applications/{app_id}/draft/documents",
        data=document,
        files={"file": ("euc.pdf", PDF, "application/pdf")},
    )
    assert sent.status_code == 200, sent.text
    api.client.post(
        f"/applications/{app_id}/draft/documents",
        data={"kind": "controlled_goods_registration", "reference": "CGP-1"},
    )

    early = api.client.post(f"/applications/{app_id}/submit")
    assert early.status_code == 422
    assert f'href="/applications/{app_id}/draft/declarations"' in early.text  # the step to put it right

    api.client.post(f"/applications/{app_id}/draft/declarations", data={"no_diversion_declared": "yes"})
    steps = api.client.get(f"/applications/{app_id}/draft").text
    assert steps.count("Completed") == 5
    done = api.client.post(f"/applications/{app_id}/submit", follow_redirects=False)
    assert done.status_code == 303, re.findall(r"<li><a href[^<]*</a></li>", done.text)
    page = api.client.get(f"/applications/{app_id}").text
    assert "submitted" in page and "TR-MND-EUC-1" in page

    # the file: listed with its SHA-256, downloaded only as an attachment
    digest = hashlib.sha256(PDF).hexdigest()
    assert digest[:16] in page
    link = re.search(r'href="(/applications/\d+/files/\d+)"', page)
    assert link
    download = api.client.get(link[1])
    assert download.content == PDF
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-type"] == "application/octet-stream"
    # another exporter sees neither the application nor its file
    sign_in(api.client, "rival")
    assert api.client.get(link[1]).status_code == 404


def test_a_file_that_is_markup_is_refused_beside_the_file_field(api: Api, w: World) -> None:
    sign_in(api.client, "exporter")
    app_id = start(api)
    sent = api.client.post(
        f"/applications/{app_id}/draft/documents",
        data={"kind": "contract", "reference": "C-1"},
        files={"file": ("x.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")},
    )
    assert sent.status_code == 422
    assert 'id="file-error"' in sent.text and "markup" in sent.text
    # nothing half-written: the document's line was rolled back with the file? No: saved separately,
    # so the listed document stays and the file is refused.


def test_the_holder_requests_an_amendment_before_expiry(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    sign_in(api.client, "exporter")
    page = api.client.get(f"/permits/{permit.id}").text
    assert f'action="/permits/{permit.id}/amendment-request"' in page
    asked = api.client.post(
        f"/permits/{permit.id}/amendment-request", data={"reason": "Two more turrets"}, follow_redirects=False
    )
    assert asked.status_code == 303
    draft = api.client.get(asked.headers["location"]).text
    assert "version 2" in draft or "draft" in draft
    assert api.client.post(f"/permits/{permit.id}/amendment-request", data={"reason": ""}).status_code == 422
    sign_in(api.client, "rival")
    assert api.client.post(f"/permits/{permit.id}/amendment-request", data={"reason": "x"}).status_code == 404


def test_the_item_is_picked_from_the_control_list_grouped_by_group(api: Api) -> None:
    sign_in(api.client, "exporter")
    app_id = start(api)
    goods = api.client.get(f"/applications/{app_id}/draft/goods").text
    picker = goods.split('<select id="lines-0-item_code" name="lines.0.item_code"')[1].split("</select>")[0]
    assert '<label for="lines-0-item_code">Export Control List item</label>' in goods
    groups = re.findall(r'<optgroup label="Group (\d+): ', picker)
    assert groups[:2] == ["1", "2"] and "2" in groups
    munitions = picker.split('label="Group 2: ')[1].split("</optgroup>")[0]
    assert '<option value="2-15" >2-15 ' in munitions
    assert '<input id="lines-0-item_code"' not in goods  # picked, not typed

    # what was chosen stays chosen when the form comes back with a problem, even an unknown code
    wrong = api.client.post(
        f"/applications/{app_id}/draft/goods",
        data={"lines.0.item_code": "2-15", "lines.0.quantity": "seven", "lines.0.unit_value": "1"},
    )
    assert wrong.status_code == 422 and '<option value="2-15" selected>' in wrong.text
    french = api.client.get(f"/applications/{app_id}/draft/goods?lang=fr").text
    assert '<optgroup label="Groupe 2' in french
