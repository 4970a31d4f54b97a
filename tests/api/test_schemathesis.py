"""Issue 11: schemathesis sends generated requests (valid and invalid) to every operation of the API,
as each role and as the public: no answer is a server error. A few examples an operation here; the
hostile-input report (benchmarks/hostile_input.py) sends many more."""

from __future__ import annotations

from exportguard.services.system import ExportGuard
from exportguard.web.app import create_app
from tests.api.conftest import Api
from tests.hostile.fuzz import fuzz


def test_no_server_error_on_generated_requests(eg: ExportGuard, api: Api) -> None:
    app = create_app(eg, public_rate="1000000/minute")
    identities = [{}, *({"Authorization": f"Bearer {t}"} for t in api.tokens.values())]
    report = fuzz(app, identities, max_examples=1)
    assert report.operations > 50 and report.requests >= report.operations
    assert report.server_errors == []
