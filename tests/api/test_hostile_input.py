"""Issue 11: each hostile input the security tester sent gets a 4xx naming the field, never a 500,
and nothing is written (both databases)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from exportguard.db.models import Application, ApplicationLine, ListSnapshot, Party
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.factories import World, application_input


def _count(eg: ExportGuard, model: Any) -> int:
    with eg.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _draft_body(w: World, **line: object) -> dict[str, Any]:
    body = application_input(w).model_dump(mode="json")
    body["lines"][0].update(line)
    return body


def test_ids_beyond_the_databases_integer_are_422_or_404(api: Api) -> None:
    for path in ("/applications/2147483648", "/applications/9223372036854775808", "/applications/0"):
        assert_problem(api.get(path, "officer"), 422, "application_id")
    assert_problem(
        api.post("/permits/2147483648/suspend", "director", json={"reason": "x"}), 422, "permit_id"
    )
    # A permit is found by id or by number: digits beyond any id are simply no permit.
    assert_problem(api.get("/permits/99999999999", "officer"), 404)
    assert_problem(api.get("/permits/²", "officer"), 404)
    assert_problem(api.get("/audit/events?subject_id=99999999999999999999", "auditor"), 422, "subject_id")


def test_nul_byte_in_a_party_name_is_refused_and_nothing_written(api: Api, eg: ExportGuard) -> None:
    before = _count(eg, Party)
    body = {"name": "A\u0000B", "country": "CA"}
    problem = assert_problem(api.post("/parties", "officer", json=body), 422, "name")
    assert "NUL" in problem["detail"]
    assert _count(eg, Party) == before


def test_strings_longer_than_their_column_are_refused(api: Api, eg: ExportGuard) -> None:
    before = _count(eg, Party)
    assert_problem(api.post("/parties", "officer", json={"name": "N" * 301, "country": "CA"}), 422, "name")
    assert_problem(
        api.post("/parties", "officer", json={"name": "N", "country": "CA", "phone": "9" * 61}), 422, "phone"
    )
    assert _count(eg, Party) == before


def test_draft_lines_are_checked_before_anything_is_written(api: Api, eg: ExportGuard, w: World) -> None:
    before = (_count(eg, Application), _count(eg, ApplicationLine))
    cases = [
        ({"quantity": 0}, "lines.0.quantity"),
        ({"quantity": 2**31}, "lines.0.quantity"),
        ({"unit_value": "-1"}, "lines.0.unit_value"),
        ({"unit_value": "1e30"}, "lines.0.unit_value"),
        ({"currency": "XXX1"}, "lines.0.currency"),
        ({"currency": "ABC"}, "lines.0.currency"),
        ({"item_code": "zzz"}, "lines[1].item_code"),
        ({"description": "x\u0000"}, "lines.0.description"),
        ({"unit": "u" * 25}, "lines.0.unit"),
    ]
    for change, field in cases:
        assert_problem(api.post("/applications", "exporter", json=_draft_body(w, **change)), 422, field)
    reversed_validity = application_input(w).model_dump(mode="json")
    reversed_validity |= {"requested_valid_from": "2021-01-01", "requested_valid_to": "2020-01-01"}
    assert_problem(api.post("/applications", "exporter", json=reversed_validity), 422, "requested_valid_to")
    far = application_input(w).model_dump(mode="json") | {"application_date": "0001-01-01"}
    assert_problem(api.post("/applications", "exporter", json=far), 422, "application_date")
    assert (_count(eg, Application), _count(eg, ApplicationLine)) == before


def test_too_many_lines_is_422_at_once(api: Api, w: World) -> None:
    body = application_input(w).model_dump(mode="json")
    body["lines"] = [dict(body["lines"][0], line_no=n) for n in range(1, 502)]
    assert_problem(api.post("/applications", "exporter", json=body), 422, "lines")


def test_determination_of_an_unknown_item_is_422(api: Api) -> None:
    assert_problem(api.post("/determinations", json={"destination": "TR", "items": ["abc"]}), 422, "items[0]")
    assert_problem(api.post("/determinations", json={"destination": "TR", "products": [2**40]}), 422)


def test_list_file_with_a_huge_field_is_refused_at_its_line(api: Api, eg: ExportGuard) -> None:
    before = _count(eg, ListSnapshot)
    sdn = '1,"ACME",-0-,SDGT,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n2,"' + "A" * 140_000 + '",-0-,x,,,,,,,,\n'
    files = {"file": ("sdn.csv", sdn.encode(), "text/csv")}
    r = api.post("/lists/import", "director", data={"source": "ofac-sdn"}, files=files)
    problem = assert_problem(r, 422)
    assert any(e["field"] == "sdn.csv line 2" for e in problem["errors"]), problem
    assert _count(eg, ListSnapshot) == before


def test_deeply_nested_json_list_is_refused_at_its_line(api: Api, eg: ExportGuard) -> None:
    before = _count(eg, ListSnapshot)
    good = '{"id": "x1", "schema": "Person", "properties": {"name": ["Ann Smith"]}}\n'
    nested = '{"id": "x2", "schema": "Person", "properties": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    files = {"file": ("entities.ftm.json", (good + nested).encode(), "application/json")}
    r = api.post("/lists/import", "director", data={"source": "opensanctions"}, files=files)
    problem = assert_problem(r, 422)
    assert any(e["field"] == "entities.ftm.json line 2" for e in problem["errors"]), problem
    assert _count(eg, ListSnapshot) == before


def test_an_empty_list_file_is_held_until_confirmed(api: Api, eg: ExportGuard) -> None:
    before = _count(eg, ListSnapshot)
    files = {"file": ("sdn.csv", b"", "text/csv")}
    held = assert_problem(
        api.post("/lists/import", "director", data={"source": "ofac-sdn"}, files=files), 409, "confirm"
    )
    assert _count(eg, ListSnapshot) == before
    content_hash = held["detail"].split("content hash ")[1].split()[0]
    confirmed = api.post(
        "/lists/import", "director", data={"source": "ofac-sdn", "confirm": content_hash}, files=files
    )
    assert confirmed.status_code == 201, confirmed.text
    assert _count(eg, ListSnapshot) == before + 1
