"""API: the checks recorded read back (``GET /api/authorisations/checks``): filters, the question and
reasons as recorded, exporters limited to their organisation, bad filters named, who may read."""

from __future__ import annotations

from typing import Any

from exportguard.adapters.clock import FixedClock
from exportguard.services.permits.views import PermitView
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.factories import World, issued


def _question(permit: str, qty: int = 1) -> dict[str, Any]:
    return {"permit": permit, "shipped_on": "2020-06-18", "lines": [{"line_no": 1, "quantity": qty}]}


def _asked(api: Api, eg: ExportGuard, w: World, clock: FixedClock) -> tuple[PermitView, list[int]]:
    """Three checks, a day apart: customs (authorised), customs by id (refused), the exporter."""
    permit = issued(eg, w, quantity=4)
    ids = []
    for who, question in (
        ("customs", _question(permit.number)),
        ("customs", _question(str(permit.id), qty=5)),
        ("exporter", _question(permit.number)),
    ):
        answer = api.post("/authorisations/check", who, json=question)
        assert answer.status_code == 200, answer.text
        ids.append(answer.json()["check_id"])
        clock.advance(days=1)
    return permit, ids


def test_checks_listed_with_the_question_and_reasons_as_recorded(
    api: Api, eg: ExportGuard, w: World, clock: FixedClock
) -> None:
    permit, (first, refused, exporters) = _asked(api, eg, w, clock)
    everything = api.get("/authorisations/checks", "auditor")
    assert everything.status_code == 200, everything.text
    assert [c["id"] for c in everything.json()] == [exporters, refused, first]

    response = api.get(
        "/authorisations/checks",
        "auditor",
        params={"permit": permit.number, "answer": "refused", "principal": "customs"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == [
        {
            "id": refused,
            "asked_at": "2020-04-21T14:00:00Z",
            "principal": "customs",
            "role": "customs",
            "permit_ref": str(permit.id),
            "permit_id": permit.id,
            "shipped_on": "2020-06-18",
            "question": _question(str(permit.id), qty=5),
            "authorised": False,
            "reasons": [
                {
                    "code": "quantity_above_remaining",
                    "field": "lines[0].quantity",
                    "message": "quantity 5 is above the 4 remaining on line 1",
                }
            ],
            "because": "quantity 5 is above the 4 remaining on line 1",
        }
    ]
    days = {"asked_from": "2020-04-21", "asked_to": "2020-04-22", "limit": 1}
    assert [c["id"] for c in api.get("/authorisations/checks", "officer", params=days).json()] == [exporters]


def test_exporters_read_only_their_organisations_checks(
    api: Api, eg: ExportGuard, w: World, clock: FixedClock
) -> None:
    permit, (_, _, exporters) = _asked(api, eg, w, clock)
    mine = api.get("/authorisations/checks", "exporter", params={"permit": permit.number})
    assert [c["id"] for c in mine.json()] == [exporters]
    assert api.get("/authorisations/checks", "rival").json() == []


def test_a_bad_filter_is_422_naming_the_field(api: Api) -> None:
    for params, field in (
        ({"answer": "maybe"}, "answer"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"asked_from": "21/04/2020"}, "asked_from"),
        ({"asked_from": "2020-04-22", "asked_to": "2020-04-21"}, "asked_to"),
        ({"answr": "refused"}, "answr"),  # a misspelt filter is refused, never ignored
    ):
        body = assert_problem(api.get("/authorisations/checks", "auditor", params=params), 422, field)
        assert [e["field"] for e in body["errors"]] == [field]


def test_who_may_read_the_checks(api: Api) -> None:
    assert_problem(api.get("/authorisations/checks", "advisor"), 403)
    assert_problem(api.get("/authorisations/checks", None), 401)
    for who in ("auditor", "customs", "officer", "director", "minister", "exporter"):
        assert api.get("/authorisations/checks", who).status_code == 200, who
