"""Issue 11: what a column cannot hold is refused at flush, naming the field, on both databases
(PostgreSQL would raise a database error; SQLite would store it)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exportguard.db.models import Party
from exportguard.domain.errors import InvalidInput
from exportguard.services.system import ExportGuard


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "N" * 301, "at most 300 characters"),
        ("name", "A\x00B", "NUL"),
        ("city", "C" * 121, "at most 120 characters"),
        ("address", "street\x00", "NUL"),
        ("organisation_id", 2**31, "outside the range"),
    ],
)
def test_a_value_its_column_cannot_hold_is_refused(
    eg: ExportGuard, field: str, value: object, message: str
) -> None:
    with eg.read() as session:
        party = Party(kind="organisation", name="Fits", country_code="CA")
        setattr(party, field, value)
        session.add(party)
        with pytest.raises(InvalidInput) as refused:
            session.flush()
        assert [p.field for p in refused.value.problems] == [field]
        assert message in refused.value.problems[0].message
        session.rollback()
        assert session.scalar(select(Party).where(Party.name == "Fits")) is None


def test_values_that_fit_are_stored(eg: ExportGuard) -> None:
    with eg.read() as session:
        session.add(Party(kind="organisation", name="N" * 300, country_code="CA", city="é" * 120))
        session.flush()
        assert session.scalar(select(Party.city).where(Party.name == "N" * 300)) == "é" * 120
