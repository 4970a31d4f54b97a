"""A declaration file sent from the border page: refused whole when it cannot be read, otherwise
checked (its check recorded) or recorded; the first 500 lines and every bad line are kept to show."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exportguard.db.models import AuthorisationCheck, Shipment
from exportguard.domain.errors import InvalidInput, NotPermitted
from exportguard.services.border import declaration_upload
from exportguard.services.border.declaration_upload import FileOutcome, FileTooLarge, Mode, declaration_text
from exportguard.services.border.declarations import LineVerdict
from exportguard.services.system import ExportGuard
from tests.factories import DIRECTOR, issued, world
from tests.integration.services.border.test_shipments import CUSTOMS

HEADER = "declaration_id,shipped_on,permit,quantity,line_no\n"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("", b"x", "choose a declaration file"),
        ("d.pdf", b"%PDF-1.7", "d.pdf is not a CSV file (.csv)"),
        ("d.csv", b" \n", "d.csv is empty"),
        ("d.csv", "a,b\n".encode("utf-16"), "d.csv is UTF-16 text, not UTF-8"),
        ("d.csv", b"PK\x03\x04\x00", "d.csv is a binary file"),
        ("d.csv", b"a,\xe9\n", "d.csv is not UTF-8 text (byte 3 cannot be read)"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_naming_why(name: str, data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        declaration_text(name, data)
    assert refused.value.problems[0].field == "file"
    assert message in refused.value.problems[0].message


def test_size_limit_and_accepted_text() -> None:
    with pytest.raises(FileTooLarge) as refused:
        declaration_text("d.csv", b"x" * (declaration_upload.MAX_UPLOAD_BYTES + 1))
    assert refused.value.status == 413 and "the limit here is 20 MB" in str(refused.value)
    assert declaration_text("D.TXT", "\ufeffdeclaration_id\n".encode()) == "declaration_id\n"


def test_first_lines_and_every_bad_line_are_kept_in_file_order() -> None:
    def verdict(line: int, what: str) -> LineVerdict:
        return LineVerdict(line, f"D-{line}", "P", "2020-06-01", what)

    lines = [verdict(n, "refused") for n in range(2, 603)] + [verdict(603, "bad_line")]
    outcome = FileOutcome("d.csv", Mode.RECORD).add(reversed(lines))
    assert (outcome.lines, outcome.first_lines, outcome.left_out) == (602, 500, 101)
    assert [v.line for v in outcome.shown] == [*range(2, 502), 603]
    assert outcome.counts == {"refused": 601, "bad_line": 1}
    assert outcome.verdicts[-1] == "bad_line" and "already_recorded" in outcome.verdicts


def _recorded(eg: ExportGuard) -> tuple[int, int]:
    with eg.read() as s:
        checks = s.scalar(select(func.count()).select_from(AuthorisationCheck)) or 0
        return checks, s.scalar(select(func.count()).select_from(Shipment)) or 0


def test_check_records_the_files_check_and_record_draws(eg: ExportGuard) -> None:
    permit = issued(eg, world(eg), quantity=4)
    data = (HEADER + f"D-1,2020-06-01,{permit.number},2,1\nD-2,2020-06-01,{permit.number},x,1\n").encode()
    checked = declaration_upload.check_upload(eg, CUSTOMS, "d.csv", data)
    assert checked.counts == {"authorised": 1, "bad_line": 1}
    assert _recorded(eg) == (1, 0)
    with pytest.raises(NotPermitted):
        declaration_upload.record_upload(eg, DIRECTOR, "d.csv", data)
    recorded = declaration_upload.record_upload(eg, CUSTOMS, "d.csv", data)
    assert recorded.counts == {"recorded": 1, "bad_line": 1}
    assert _recorded(eg) == (1, 1)
    with pytest.raises(InvalidInput, match="no declaration lines"):
        declaration_upload.check_upload(eg, CUSTOMS, "d.csv", HEADER.encode())
    assert _recorded(eg) == (1, 1)
