"""exportguard audit seal | prove | public-key, checked from outside by scripts/audit-check; verify
against the published checkpoint, also after a backup is restored (issue 12)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from exportguard.services.system import ExportGuard
from tests.cli.conftest import Invoke, _invoke_on
from tests.factories import party
from tests.tampering import tamper

CHECK = Path(__file__).resolve().parents[2] / "scripts" / "audit-check"


@pytest.fixture
def sealed(own_cli: tuple[Invoke, ExportGuard], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    monkeypatch.setenv("EXPORTGUARD_CHECKPOINT_FILE", str(tmp_path / "checkpoints.jsonl"))
    monkeypatch.setenv("EXPORTGUARD_AUDIT_KEY_FILE", str(tmp_path / "signing.key"))
    cli, _ = own_cli
    done = cli("audit", "seal")
    assert done.exit_code == 0 and done.stdout.startswith("sealed: "), done.output
    assert cli("audit", "seal").stdout.strip() == "nothing new to seal"
    return cli


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(CHECK), *args], capture_output=True, text=True, check=False)


def test_an_outside_auditor_checks_inclusion_and_consistency(
    sealed: Invoke, own_cli: tuple[Invoke, ExportGuard], tmp_path: Path
) -> None:
    cli, system = own_cli
    key = cli("audit", "public-key").stdout.strip()
    kept = (tmp_path / "checkpoints.jsonl").read_text().splitlines()[-1]
    (tmp_path / "kept.json").write_text(kept)
    proof = tmp_path / "inclusion.json"
    proof.write_text(cli("audit", "prove", "--seq", "40").stdout)
    assert _check(key, str(proof)).stdout.startswith("OK: event #40 is leaf")
    party(system, "Later Optics", "CA")  # one more audited act, sealed into a larger tree
    assert cli("audit", "seal").stdout.startswith("sealed: ")
    growth = tmp_path / "growth.json"
    old_size = json.loads(kept)["size"]
    growth.write_text(cli("audit", "prove", "--since", str(old_size)).stdout)
    assert _check(key, str(growth), str(tmp_path / "kept.json")).stdout.startswith("OK: the tree of")
    forged = json.loads(proof.read_text())
    forged["entry"] = forged["entry"].replace("EIPA", "EIPX", 1)
    proof.write_text(json.dumps(forged))
    failed = _check(key, str(proof))
    assert failed.returncode == 1 and failed.stdout.startswith("FAIL")
    assert _check("00" * 32, str(growth), str(tmp_path / "kept.json")).stdout.startswith(
        "FAIL: the checkpoint"
    )


def test_verify_after_restore_passes_against_the_published_checkpoint(
    sealed: Invoke,
    empty_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backup = tmp_path / "b.backup"
    assert sealed("db", "backup", str(backup)).exit_code == 0
    restored = _invoke_on(empty_url, monkeypatch)  # the same checkpoint file and key (environment)
    assert restored("db", "restore", str(backup)).exit_code == 0
    verified = restored("audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "against the checkpoint of" in verified.stdout


def test_verify_names_a_rewritten_log_against_the_published_checkpoint(
    sealed: Invoke, own_cli: tuple[Invoke, ExportGuard]
) -> None:
    cli, system = own_cli
    with system.read() as s:
        tamper(s, "DELETE FROM audit_leaves WHERE leaf_index >= 300", "DELETE FROM audit_checkpoints")
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert "events at the end were deleted" in result.stderr
