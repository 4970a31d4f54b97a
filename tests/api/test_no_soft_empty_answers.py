"""Internal findings are refused, not answered with a quiet empty list (issue 10).

An empty 200 tells an exporter or the public "nothing is flagged here" or "nobody lobbied on this
application": what they may not read is refused (403; 401 without a credential). The access matrix
holds every route to its gate; these are the two that used to answer 200 [] to everyone.
"""

from __future__ import annotations

import pytest

from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem
from tests.factories import World, submitted


@pytest.mark.parametrize("who", ["exporter", "rival", "customs"])
def test_application_lobbying_is_refused_to_those_who_may_not_read_it(
    api: Api, eg: ExportGuard, w: World, who: str
) -> None:
    app = submitted(eg, w)
    assert_problem(api.get(f"/applications/{app.id}/lobbying", who), 403)
    assert api.get(f"/applications/{app.id}/lobbying").status_code == 401
    allowed = api.get(f"/applications/{app.id}/lobbying", "officer")
    assert allowed.status_code == 200 and allowed.json() == []
    assert_problem(api.get("/applications/999999/lobbying", "officer"), 404, "application_id")
    # Refused before the application is looked up: an exporter learns nothing of others' records.
    assert_problem(api.get("/applications/999999/lobbying", who), 403)


@pytest.mark.parametrize("who", ["exporter", "rival"])
def test_diversion_flags_are_refused_to_exporters(api: Api, who: str) -> None:
    assert_problem(api.get("/diversion-flags", who, params={"country": "TR"}), 403)
    assert api.get("/diversion-flags", params={"country": "TR"}).status_code == 401
    for official in ("officer", "customs", "auditor"):
        assert api.get("/diversion-flags", official, params={"country": "TR"}).status_code == 200
