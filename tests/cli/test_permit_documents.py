"""exportguard permits issue | document: refusals as one line naming the field, and the PDF written."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Invoke


def test_issue_refuses_bad_input_naming_the_field(cli: Invoke) -> None:
    cases = [
        (("permits", "issue", "3", "--valid-to", "2021-01-01"), "token"),
        (
            (
                "--token",
                "demo-officer-tremblay",
                "permits",
                "issue",
                "3",
                "--valid-to",
                "2021-01-01",
                "--line",
                "1:x",
            ),
            "line",
        ),
        (
            ("--token", "demo-officer-tremblay", "permits", "issue", "3", "--valid-to", "2021-13-01"),
            "valid-to",
        ),
        (
            (
                "--token",
                "demo-officer-tremblay",
                "permits",
                "issue",
                "3",
                "--valid-to",
                "2021-06-30",
                "--valid-from",
                "2021-01-01",
            ),
            "lines",
        ),
        (
            (
                "--token",
                "demo-exporter-wescam",
                "permits",
                "issue",
                "3",
                "--valid-to",
                "2021-06-30",
                "--line",
                "1:1",
            ),
            "issue permit",
        ),
    ]
    for args, named in cases:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert named in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1


def test_document_writes_the_pdf_with_its_verification_link(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "permit.pdf"
    result = cli(
        "permits", "document", "EXP-2020-104513", "-o", str(out), "--site", "https://permits.example"
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert "verify at https://permits.example/v/" in result.stdout
    bad = cli("permits", "document", "EXP-2020-104513", "-o", str(out), "--site", "ftp://x")
    assert bad.exit_code == 2 and "site" in bad.stderr
    missing = cli("permits", "document", "EXP-1999-000000", "-o", str(out))
    assert missing.exit_code == 2
