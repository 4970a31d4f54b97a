"""Every command in the README's ``sh`` blocks, run in order against a database of its own, as a
newcomer would type them: the README stays true.

Commands are run as written (in process, through the CLI's own entry point) from a directory where
``src`` is this repository's, so the sample files resolve as they do in a checkout. A trailing
``# exit N`` comment states the expected exit status (default 0). Not run, each for its reason:
``./run ...`` and ``scripts/...`` (they set up an environment, serve or run the suite), the
servers (``serve``, ``worker``), a restore (into an empty database only), and what needs a site
outside this machine (``lists download``). ``curl`` lines are sent to the app in process.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from exportguard.cli.main import app
from exportguard.services.system import ExportGuard
from exportguard.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
NOT_RUN = {
    "./run": "sets up .venv, serves or runs the whole suite",
    "scripts/": "starts a deployment of its own (PostgreSQL, web workers, a job worker)",
    "exportguard serve": "serves until stopped",
    "exportguard worker": "runs jobs until stopped",
    "exportguard db restore": "restores into an empty database only",
    "EXPORTGUARD_TOKEN=demo-officer-tremblay exportguard lists download": (
        "fetches the publisher's file from its site"
    ),
    "EXPORTGUARD_TOKEN=demo-officer-tremblay exportguard lobbying import": (
        "needs the Registry of Lobbyists' export file"
    ),
    # A new database's first administrator and what they then do need their own sign-in (a password
    # typed, an authenticator code): tests/cli/test_accounts.py walks the same steps.
    "exportguard operator first-admin": "prints a one-time password for a person to type",
    "exportguard login": "asks for a password and an authenticator code",
    "exportguard logout": "ends the session of `exportguard login`",
    "exportguard organisations": "acts as the administrator signed in by `exportguard login`",
    "exportguard accounts": "acts as the administrator signed in by `exportguard login`",
    "exportguard tokens": "acts as the administrator signed in by `exportguard login`",
}
# Issue 14's tour names its records by placeholders (ALG-..., "...") and INV-2020-0001, which a
# sandbox on today's clock numbers otherwise: not yet runnable as written (reported to the lead).
NOT_YET_VERBATIM = (
    "EXPORTGUARD_TOKEN=demo-officer-tremblay exportguard allegations",
    "EXPORTGUARD_TOKEN=demo-officer-tremblay exportguard investigations",
    "EXPORTGUARD_TOKEN=demo-minister-garneau exportguard investigations",
    "exportguard investigations timeline INV-2020-0001",
)
_EXIT = re.compile(r"#\s*exit (\d+)\b")
_BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)


@dataclass(frozen=True)
class Command:
    line: int
    text: str
    expected_exit: int


def readme_commands(text: str) -> list[Command]:
    """The commands of every ``sh`` block, continuation lines joined, ``;`` splitting two."""
    out: list[Command] = []
    for block in _BLOCK.finditer(text):
        first = text.count("\n", 0, block.start(1)) + 1
        joined, start = "", first
        for n, raw in enumerate(block[1].splitlines(), first):
            if not joined:
                start = n
            if raw.rstrip().endswith("\\"):
                joined += raw.rstrip()[:-1] + " "
                continue
            joined += raw
            found = _EXIT.search(joined)
            for part in joined.split(" ; "):
                if part.strip():
                    out.append(Command(start, part.strip(), int(found[1]) if found else 0))
            joined = ""
    return out


def test_the_readme_is_parsed_as_written() -> None:
    commands = readme_commands(README.read_text(encoding="utf-8"))
    texts = [c.text for c in commands]
    assert any(t.startswith("exportguard demo --no-serve --until 2020-10-04") for t in texts)
    assert any(c.expected_exit == 1 and "authorisations check" in c.text for c in commands)
    continued = next(c for c in commands if "lists add-entry" in c.text)
    assert "--reason" in continued.text  # its continuation line was joined
    assert "notices deliver" in " ".join(texts)  # "a ; b" is two commands


def _curl(client: TestClient, args: list[str]) -> int:
    headers = dict(h.split(": ", 1) for flag, h in pairwise(args) if flag == "-H")
    url = urlsplit(args[-1])
    response = client.get(url.path + (f"?{url.query}" if url.query else ""), headers=headers)
    return 0 if response.status_code < 400 else 22  # curl -f's exit status for an HTTP error


@pytest.mark.slow
def test_every_readme_command_runs_on_a_sandbox(
    committed_eg: ExportGuard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = committed_eg.engine.url.render_as_string(hide_password=False)
    (tmp_path / "src").symlink_to(ROOT / "src")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EXPORTGUARD_AS", raising=False)
    monkeypatch.delenv("EXPORTGUARD_TOKEN", raising=False)
    monkeypatch.setenv("EXPORTGUARD_CREDENTIALS", str(tmp_path / "credentials.json"))
    runner = CliRunner()
    ran = 0
    for command in readme_commands(README.read_text(encoding="utf-8")):
        if command.text.startswith((*NOT_RUN, *NOT_YET_VERBATIM)):
            continue
        args = shlex.split(command.text, comments=True)
        where = f"README.md:{command.line}: {command.text}"
        # ``NAME=value exportguard ...``: the variables for this command only, as a shell does.
        env = {}
        while args and re.fullmatch(r"[A-Z_]+=\S*", args[0]):
            name, value = args.pop(0).split("=", 1)
            env[name] = value
        if args[0] == "export":
            name = args[1].split("=", 1)[0]
            assert name == "EXPORTGUARD_DATABASE_URL", where
            monkeypatch.setenv(name, url)  # the test's own database, wherever the README points
            continue
        if args[0] == "curl":
            with TestClient(create_app(committed_eg)) as client:
                assert _curl(client, args[1:]) == command.expected_exit, where
            ran += 1
            continue
        assert args[0] == "exportguard", where
        result = runner.invoke(app, args[1:], env=env)
        assert result.exit_code == command.expected_exit, f"{where}\n{result.output}"
        ran += 1
    assert ran >= 40
    assert (tmp_path / "permit.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "matches.jsonl").read_text(encoding="utf-8").count("Northern Star") >= 1
