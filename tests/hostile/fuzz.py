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
from schemathesis.generation import GenerationMode


@dataclass
class FuzzReport:
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    operations: int = 0


def fuzz(app: Any, identities: list[dict[str, str]], *, max_examples: int, seed: int = 11) -> FuzzReport:
    """Send ``max_examples`` positive and negative requests to each operation, each as the next of
    ``identities`` in turn (headers; ``{}`` is the public), so that every role reaches every kind of
    operation over the run (a drawn identity would almost always be the first: hypothesis shrinks
    towards it); count the 5xx."""
    report = FuzzReport()
    turn = iter(range(10**9))
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
            @hypothesis.given(case=strategy)
            @hypothesis.seed(seed)
            def send(case: Any) -> None:
                response = case.call(headers=identities[next(turn) % len(identities)])
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
