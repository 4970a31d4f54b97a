"""Who sees which case: an advisor (another department) only the cases sent for advice or advised by
them; the licensing officials and auditors every case; an exporter its own organisation's. One rule
(services/applications/visibility.py), checked here for each role on the API, the pages and the queue."""

from __future__ import annotations

import pytest

from exportguard.services.system import ExportGuard
from tests.api.conftest import Api
from tests.api.test_pages import sign_in
from tests.factories import World, sent_for_advice, submitted

# (caller, sees the case sent for advice, sees the case not sent)
MATRIX = [
    ("officer", True, True),
    ("director", True, True),
    ("minister", True, True),
    ("auditor", True, True),
    ("advisor", True, False),
    ("exporter", True, True),  # both are its own organisation's
    ("rival", False, False),
]


@pytest.fixture
def cases(api: Api, eg: ExportGuard, w: World) -> dict[str, int]:
    sent, kept = submitted(eg, w), submitted(eg, w)
    for app in (sent, kept):
        assert api.post(f"/applications/{app.id}/begin-review", "officer").status_code == 200
    sent_for_advice(eg, sent.id)
    return {"sent": sent.id, "kept": kept.id}


@pytest.mark.parametrize(("caller", "sees_sent", "sees_kept"), MATRIX)
def test_each_role_sees_the_cases_its_rule_gives_it(
    api: Api, cases: dict[str, int], caller: str, sees_sent: bool, sees_kept: bool
) -> None:
    listed = {a["id"] for a in api.get("/applications", caller).json()}
    for case, sees in (("sent", sees_sent), ("kept", sees_kept)):
        app_id = cases[case]
        assert (app_id in listed) is sees, (caller, case)
        assert api.get(f"/applications/{app_id}", caller).status_code == (200 if sees else 404), (
            caller,
            case,
        )


def test_an_advisor_finds_in_the_queue_and_advises_only_what_was_sent(
    api: Api, cases: dict[str, int]
) -> None:
    sign_in(api.client, "advisor")
    queue = api.client.get("/queue").text
    assert f'href="/applications/{cases["sent"]}"' in queue
    assert f'href="/applications/{cases["kept"]}"' not in queue
    assert api.client.get(f"/applications/{cases['sent']}/advice").status_code == 200
    assert api.client.get(f"/applications/{cases['kept']}").status_code == 404  # not revealed
    advice = {"department": "National Defence", "advice": "no_objection", "rationale": "NATO ally"}
    assert api.post(f"/applications/{cases['kept']}/advice", "advisor", json=advice).status_code == 404
    assert api.post(f"/applications/{cases['sent']}/advice", "advisor", json=advice).status_code == 200
