"""Screening over the API: review tasks and dispositions, screening a party or a name, alerts,
and list snapshots (upload, the same file twice, malformed files naming their lines, diff)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from exportguard.adapters.sanctions_lists.snapshot import ParsedList
from exportguard.domain.screening.entries import ListEntry, PartialDate, Schema
from exportguard.services.screening import commands as screening
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.conftest import shared_data
from tests.factories import OFFICER, World, issued

BAYKAR = "BAYKAR MAKINA SANAYI VE TICARET A.S."


def load(eg: ExportGuard, *entries: ListEntry) -> screening.ImportView:
    """A custom list in the system (issue 5: lists kept in the system), imported as the officer."""
    parsed = ParsedList("custom", hashlib.sha256(repr(entries).encode()).hexdigest(), entries)
    with eg.uow(OFFICER) as uow:
        # Confirmed: these tests shrink lists on purpose (holds are tested on their own).
        return screening.import_list(uow, parsed, confirm=parsed.content_hash)


def entry(entry_id: str, name: str, remarks: str = "", schema: Schema = Schema.ORGANISATION) -> ListEntry:
    return ListEntry("custom", entry_id, schema, (name,), frozenset({"TR"}), remarks=remarks)


def open_hit(api: Api, eg: ExportGuard, w: World) -> dict[str, Any]:
    load(eg, entry("D-1", BAYKAR))
    found = api.post(f"/parties/{w.consignee_id}/screen", "officer")
    assert found.status_code == 200, found.text
    (hit,) = found.json()
    return dict(hit)


def test_a_party_screened_by_hand_becomes_a_review_task_with_its_explanation(
    api: Api, eg: ExportGuard, w: World
) -> None:
    hit = open_hit(api, eg, w)
    assert (hit["party_id"], hit["entry_id"], hit["status"], hit["context"]) == (
        w.consignee_id,
        "D-1",
        "open",
        "manual",
    )
    tasks = api.get("/screening/hits?status=open", "director").json()
    assert [t["id"] for t in tasks] == [hit["id"]]
    task = tasks[0]
    assert task["party_name"] == "Baykar Makina"
    assert task["listed_name"] == BAYKAR
    assert "baykar=baykar" in task["explanation"]
    assert task["source"] == "custom" and len(task["snapshot_hash"]) == 64
    assert api.get(f"/screening/hits/{hit['id']}", "auditor").json() == task


def test_a_disposition_is_recorded_and_respected_on_rescreening(api: Api, eg: ExportGuard, w: World) -> None:
    hit = open_hit(api, eg, w)
    body = {"disposition": "false_positive", "reason": "Baykar Makina is not the listed entity"}
    done = api.post(f"/screening/hits/{hit['id']}/disposition", "officer", json=body)
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["disposed_by"]) == ("false_positive", "officer")
    assert api.get("/screening/hits", "officer").json() == []
    again = api.post(f"/parties/{w.consignee_id}/screen", "officer").json()
    assert [(h["id"], h["status"]) for h in again] == [(hit["id"], "false_positive")]
    assert api.get("/screening/hits?status=open", "officer").json() == []
    every = api.get("/screening/hits?status=all", "officer").json()
    assert [h["disposition_reason"] for h in every] == [body["reason"]]
    twice = api.post(f"/screening/hits/{hit['id']}/disposition", "director", json=body)
    assert_problem(twice, 409, "hit_id")


def test_disposition_input_is_checked_field_by_field(api: Api, eg: ExportGuard, w: World) -> None:
    hit = open_hit(api, eg, w)
    path = f"/screening/hits/{hit['id']}/disposition"
    bad = api.post(path, "officer", json={"disposition": "maybe", "reason": " "})
    assert_problem(bad, 422, "disposition", "reason")
    assert_problem(api.post(path, "officer", json={"disposition": "true_match"}), 422, "reason")
    assert_problem(
        api.post(path, "officer", json={"disposition": "true_match", "reason": "x", "by": "me"}), 422, "by"
    )
    missing = {"disposition": "true_match", "reason": "same"}
    assert_problem(api.post("/screening/hits/999999/disposition", "officer", json=missing), 404, "hit_id")
    assert_problem(api.get("/screening/hits/999999", "officer"), 404, "hit_id")
    assert_problem(api.get("/screening/hits/abc", "officer"), 422, "hit_id")
    assert_problem(
        api.post(
            "/screening/hits/1/disposition",
            "officer",
            content=b"{",
            headers={"Content-Type": "application/json"},
        ),
        400,
        "body",
    )
    assert_problem(api.get("/screening/hits?status=closed", "officer"), 422, "status")
    assert_problem(api.post("/parties/999999/screen", "officer"), 404, "party_id")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/screening/hits"),
        ("GET", "/screening/hits/1"),
        ("GET", "/screening/alerts"),
        ("GET", "/lists"),
        ("GET", "/lists/diff?from=1&to=2"),
    ],
)
def test_exporters_see_no_screening(api: Api, method: str, path: str) -> None:
    assert_problem(api.call(method, path, "exporter"), 403)
    assert_problem(api.call(method, path), 401, "authorization")


def test_exporters_and_readers_may_not_screen_dispose_or_import(api: Api, eg: ExportGuard, w: World) -> None:
    hit = open_hit(api, eg, w)
    body = {"disposition": "true_match", "reason": "same"}
    assert_problem(api.post(f"/screening/hits/{hit['id']}/disposition", "exporter", json=body), 403)
    assert_problem(api.post(f"/screening/hits/{hit['id']}/disposition", "auditor", json=body), 403)
    assert_problem(api.post(f"/parties/{w.consignee_id}/screen", "exporter"), 403)
    assert_problem(api.post(f"/parties/{w.consignee_id}/screen", "director"), 403)
    assert_problem(api.post("/screening/screen", "exporter", json={"name": "Baykar"}), 403)
    upload = {"file": ("dpl.txt", b"not read", "text/plain")}
    assert_problem(
        api.post("/lists/import", "exporter", data={"source": "bis-denied-persons"}, files=upload), 403
    )
    assert api.get("/screening/hits?status=open", "officer").json()[0]["status"] == "open"


def test_an_ad_hoc_name_query_explains_its_matches_and_records_nothing(
    api: Api, eg: ExportGuard, w: World
) -> None:
    person = ListEntry(
        "custom", "P-7", Schema.PERSON, ("Ivanov, Sergei Petrovich",), birth_dates=(PartialDate(1961),)
    )
    load(eg, entry("D-1", BAYKAR), person)
    found = api.post(
        "/screening/screen",
        "auditor",
        json={"name": "Сергей Иванов", "birth_date": "1961", "schema": "person", "country": "ru"},
    )
    assert found.status_code == 200, found.text
    best = found.json()[0]
    assert (best["entry_id"], best["schema"], best["source"]) == ("P-7", "person", "custom")
    assert 0 < best["score"] <= 1 and "ivanov" in best["explanation"]
    assert api.get("/screening/hits?status=all", "officer").json() == []
    assert api.post("/screening/screen", "officer", json={"name": "Maria Schmidt"}).json() == []
    bad = api.post(
        "/screening/screen",
        "officer",
        json={"name": "", "country": "Turkey", "birth_date": "61", "schema": "ship"},
    )
    assert_problem(bad, 422, "name", "country", "birth_date", "schema")


def test_a_list_import_alerts_the_permit_of_a_newly_listed_party(api: Api, eg: ExportGuard, w: World) -> None:
    permit = issued(eg, w)
    load(eg, entry("U-1", "Unrelated Shipping Co"))
    load(eg, entry("U-1", "Unrelated Shipping Co"), entry("D-1", BAYKAR))
    alerts = api.get("/screening/alerts", "minister").json()
    assert {a["permit_id"] for a in alerts if a["permit_id"]} == {permit.id}
    assert {(a["party_id"], a["entry_id"], a["status"]) for a in alerts} == {(w.consignee_id, "D-1", "open")}
    hit_id = alerts[0]["hit_id"]
    body = {"disposition": "true_match", "reason": "same company, same address in Istanbul"}
    assert api.post(f"/screening/hits/{hit_id}/disposition", "director", json=body).status_code == 200
    assert api.get("/screening/alerts?status=open", "officer").json() == []
    assert {a["status"] for a in api.get("/screening/alerts", "officer").json()} == {"closed"}
    assert_problem(api.get("/screening/alerts?status=maybe", "officer"), 422, "status")


def upload(api: Api, source: str, *paths: str, who: str = "officer") -> tuple[int, dict[str, Any]]:
    files = [("file", (shared_data(p).name, shared_data(p).read_bytes(), "text/plain")) for p in paths]
    response = api.post("/lists/import", who, data={"source": source}, files=files)
    return response.status_code, response.json()


def test_uploading_the_same_list_twice_changes_nothing_and_says_so(api: Api) -> None:
    status, first = upload(api, "bis-denied-persons", "sanctions/bis-denied-persons.txt")
    assert status == 201, first
    assert first["created"] is True and first["entries"] > 100
    assert "imported snapshot" in str(first["message"])
    status, again = upload(api, "bis-denied-persons", "sanctions/bis-denied-persons.txt", who="director")
    assert status == 200, again
    assert again["created"] is False and again["snapshot_id"] == first["snapshot_id"]
    assert "unchanged" in str(again["message"])
    snapshots = api.get("/lists", "auditor").json()
    assert [(s["source"], s["entry_count"]) for s in snapshots] == [("bis-denied-persons", first["entries"])]
    assert snapshots[0]["content_hash"] == first["content_hash"]


def test_a_malformed_upload_names_its_lines_and_loads_nothing(api: Api) -> None:
    status, body = upload(api, "ofac-sdn", "sanctions/malformed/sdn.csv")
    assert status == 422, body
    fields = {e["field"] for e in body["errors"]}
    assert "sdn.csv line 7380" in fields
    assert "line 7380" in str(body["detail"])
    assert api.get("/lists", "officer").json() == []
    status, alt = upload(api, "ofac-sdn", "sanctions/ofac-sdn-2024-04-02.csv", "sanctions/malformed/alt.csv")
    assert status == 422, alt
    assert all(str(e["field"]).startswith("alt.csv line ") for e in alt["errors"])
    assert api.get("/lists", "officer").json() == []


def test_upload_input_names_the_field_at_fault(api: Api) -> None:
    files = {"file": ("dpl.txt", b"x", "text/plain")}
    assert_problem(
        api.post("/lists/import", "officer", data={"source": "nowhere"}, files=files), 422, "source"
    )
    assert_problem(api.post("/lists/import", "officer", files=files), 422, "source")
    assert_problem(api.post("/lists/import", "officer", data={"source": "bis-denied-persons"}), 422, "file")


def test_the_diff_between_two_snapshots(api: Api, eg: ExportGuard) -> None:
    first = load(eg, entry("1", "Alpha Trading"), entry("2", "Beta Shipping"))
    second = load(eg, entry("1", "Alpha Trading", "new address"), entry("3", "Gamma Metals"))
    diff = api.get(f"/lists/diff?from={first.snapshot_id}&to={second.snapshot_id}", "officer")
    assert diff.status_code == 200, diff.text
    body = diff.json()
    assert body["summary"] == "1 added, 1 changed, 1 removed"
    assert [e["entry_id"] for e in body["added"]] == ["3"]
    assert [e["name"] for e in body["changed"]] == ["Alpha Trading"]
    assert [(e["entry_id"], e["schema"]) for e in body["removed"]] == [("2", "organisation")]
    listed = api.get("/lists", "officer").json()
    assert [s["previous_id"] for s in listed] == [None, first.snapshot_id]
    assert_problem(api.get(f"/lists/diff?from={first.snapshot_id}", "officer"), 422, "to")
    assert_problem(api.get("/lists/diff?from=x&to=0", "officer"), 422, "from", "to")
    assert_problem(api.get(f"/lists/diff?from=999999&to={second.snapshot_id}", "officer"), 404, "from")
