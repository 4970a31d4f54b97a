"""The CLI on a fresh database: the operator's first administrator, who signs in (a password of
their own, an authenticator), creates an exporter organisation, an account and a scoped token; the
token acts within its scopes and is refused once revoked; ``--as`` never acts without a sign-in."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pyotp
import pytest

from exportguard.services.accounts import credentials
from exportguard.services.system import ExportGuard
from tests.cli.conftest import _invoke_on, url_of

KEY = pyotp.random_base32()


def test_first_administrator_to_a_revoked_token(
    committed_eg: ExportGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = _invoke_on(url_of(committed_eg), monkeypatch)
    monkeypatch.setattr(credentials, "new_totp_secret", lambda: KEY)  # the key the app would show
    first = cli("operator", "first-admin", "--username", "admin.roy", "--name", "A. Roy")
    assert first.exit_code == 0, first.output
    one_time = first.stdout.strip().rsplit(" ", 1)[-1]
    again = cli("operator", "first-admin", "--username", "admin.two", "--name", "B")
    assert again.exit_code == 2 and "administrator already" in again.stderr

    writes = cli("organisations", "create", "--kind", "exporter", "--name", "X", "--business-number", "1")
    assert writes.exit_code == 2 and writes.stderr.startswith("error: token:")  # no credential
    code = credentials.totp_now(KEY, datetime.now(UTC))
    new_password = "a long admin passphrase"
    login = cli("login", "admin.roy", stdin=f"{one_time}\n{new_password}\n{new_password}\n{code}\n")
    assert login.exit_code == 0, login.output
    assert "recovery codes" in login.output and "signed in as admin.roy" in login.output
    assert cli("whoami").stdout.strip() == "admin.roy (administrator)"

    made = cli(
        "organisations",
        "create",
        "--kind",
        "exporter",
        "--name",
        "Laurentide Aerostructures",
        "--business-number",
        "123 456 789",
    )
    assert made.exit_code == 0, made.output + made.stderr
    org = next(
        o for o in json.loads(cli("organisations", "list", "-f", "json").stdout) if o["kind"] == "exporter"
    )
    account = cli(
        "accounts",
        "create",
        "--username",
        "ana.laurentide",
        "--name",
        "Ana",
        "--role",
        "exporter",
        "--organisation",
        str(org["id"]),
    )
    assert account.exit_code == 0, account.output + account.stderr
    ana = next(
        a
        for a in json.loads(cli("accounts", "list", "-f", "json").stdout)
        if a["username"] == "ana.laurentide"
    )
    issued = cli(
        "tokens", "create", str(ana["id"]), "--name", "ERP", "--scope", "read_applications", "--days", "30"
    )
    token = re.search(r"token \(shown once\): (\S+)", issued.stdout)
    assert token is not None, issued.output
    assert token.group(1) not in cli("tokens", "list").stdout

    reads = cli("--token", token.group(1), "applications", "list", "-f", "json")
    assert reads.exit_code == 0 and json.loads(reads.stdout) == []
    beyond = cli("--token", token.group(1), "permits", "expire-due")
    assert beyond.exit_code == 2 and "role 'exporter' may not" in beyond.stderr
    tokens = json.loads(cli("tokens", "list", "-f", "json").stdout)
    assert tokens[0]["last_used_at"] is not None
    assert cli("tokens", "revoke", str(tokens[0]["id"]), "--reason", "ERP replaced").exit_code == 0
    refused = cli("--token", token.group(1), "applications", "list")
    assert refused.exit_code == 2 and "revoked" in refused.stderr

    other = cli("--as", "minister.x", "permits", "expire-due")
    assert other.exit_code == 2 and "no sign-in of 'minister.x'" in other.stderr
    assert cli("logout").stdout.strip() == "signed out"
    assert cli("whoami").stdout.strip() == "local-operator (auditor)"
