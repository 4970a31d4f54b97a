"""Scratch PostgreSQL databases and the data the border benchmark runs on (the reference case)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import _fresh_postgres_database  # noqa: E402 - the tests' scratch databases
from tests.factories import World, approved, issued, world  # noqa: E402 - the tests' factories

from exportguard.demo.loader import load_case  # noqa: E402
from exportguard.services.system import ExportGuard  # noqa: E402

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def scratch_database(admin_url: str = ADMIN_URL) -> Iterator[str]:
    """A database created for the run and dropped after it, on the local server (loopback only)."""
    yield from _fresh_postgres_database(admin_url)


def load_reference_case(system: ExportGuard, permits: int = 1) -> list[int]:
    """The 2019-2021 Turkey case, plus ``permits`` large permits to draw on; returns their ids."""
    load_case(system)
    w = world(system)
    return [_big_permit(system, w) for _ in range(permits)]


def _big_permit(system: ExportGuard, w: World) -> int:
    big = 1_000_000_000
    lines = [
        {
            "line_no": 1,
            "product_id": w.product_id,
            "item_code": "2-15",
            "description": "MX-15D turret (benchmark line)",
            "quantity": big,
            "unit": "unit",
            "unit_value": Decimal("1.00"),
            "currency": "CAD",
            "origin_country": "CA",
            "us_content_percent": Decimal("0"),
        }
    ]
    return issued(system, w, quantity=big, app=approved(system, w, lines=lines)).id
