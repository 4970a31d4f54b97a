"""Issue 11: "which measures are in force on D" has one answer, the same from the API's list, the
measures page, ``policies list --as-of`` and the determination, a lifting honoured by all four."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient

from exportguard.domain.access import Actor, Role
from exportguard.services.policy import measures as policies
from exportguard.services.system import ExportGuard
from exportguard.web.app import create_app
from tests.cli.conftest import _invoke_on, url_of

MINISTER = Actor("minister", Role.MINISTER)
KEYS = ("TR-FREEZE", "TR-FREEZE-LIFTED", "TR-DENIAL")


def _record(eg: ExportGuard) -> None:
    common = {"destination": "TR", "legal_basis": "Ministerial statement", "title": "t"}
    for data in (
        {"key": "TR-FREEZE", "kind": "no_new_permits", "effective_from": date(2019, 10, 11)},
        {
            "key": "TR-FREEZE-LIFTED",
            "kind": "lifting",
            "lifts": "TR-FREEZE",
            "effective_from": date(2020, 1, 6),
        },
        {
            "key": "TR-DENIAL",
            "kind": "presumptive_denial",
            "effective_from": date(2020, 4, 16),
            "item_groups": [2],
            "exception_grounds": ["NATO cooperation"],
        },
    ):
        with eg.uow(MINISTER) as uow:
            policies.record_measure(uow, policies.MeasureInput.model_validate(common | data))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2019, 10, 10), set()),
        (date(2019, 12, 1), {"TR-FREEZE"}),
        (date(2020, 2, 1), set()),  # lifted: the list used to still say "in force"
        (date(2020, 5, 1), {"TR-DENIAL"}),
    ],
)
def test_one_answer_everywhere(
    committed_eg: ExportGuard, monkeypatch: pytest.MonkeyPatch, day: date, expected: set[str]
) -> None:
    _record(committed_eg)
    query = f"destination=TR&as_of={day}"
    with TestClient(create_app(committed_eg)) as client:
        listed = {m["key"] for m in client.get(f"/api/measures?{query}").json()}
        page = client.get(f"/measures?{query}").text
        on_page = {k for k in KEYS if f">{k}<" in page or f">{k} " in page or f"{k}/v1" in page}
        asked = client.post(
            "/api/determinations", json={"destination": "TR", "items": ["2-15"], "on": str(day)}
        )
        determined = {ref.split("/")[0] for ref in asked.json()["applicable_measures"]}
    invoke = _invoke_on(url_of(committed_eg), monkeypatch)
    result = invoke("policies", "list", "--destination", "TR", "--as-of", str(day), "--format", "json")
    assert result.exit_code == 0, result.stderr
    from_cli = {m["key"] for m in json.loads(result.stdout)}
    assert listed == on_page == from_cli == determined == expected
