"""Schemathesis against the ASGI app (issue 11): every operation of the OpenAPI document, with
generated requests both valid (positive) and invalid (negative), as a signed-in principal; each
answer of 500 or above is a finding. Used by tests/api/test_schemathesis.py (a few examples an
operation) and benchmarks/hostile_input.py (many)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode


@dataclass
class FuzzReport:
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    operations: int = 0


def fuzz(app: Any, identities: list[dict[str, str]], *, max_examples: int, seed: int = 11) -> FuzzReport:
    """Send ``max_examples`` positive and negative requests to each operation, each as one of
    ``identities`` (headers; ``{}`` is the public), drawn with the request; count the 5xx."""
    report = FuzzReport()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()
        report.operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode)

            @hypothesis.settings(
                max_examples=max_examples,
                database=None,
                deadline=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
                phases=[hypothesis.Phase.generate],
            )
            @hypothesis.given(case=strategy, headers=st.sampled_from(identities))
            @hypothesis.seed(seed)
            def send(case: Any, headers: dict[str, str]) -> None:
                response = case.call(headers=headers)
                report.requests += 1
                report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
                if response.status_code >= 500:
                    report.server_errors.append(
                        f"{case.method} {case.formatted_path} -> {response.status_code}"
                    )

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    send()
                except hypothesis.errors.Unsatisfiable:
                    continue
    return report
