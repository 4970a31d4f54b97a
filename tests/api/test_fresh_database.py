"""A fresh database, as a deployment starts: the operator sets up the first administrator, who signs
in (a password of their own, an authenticator), creates an exporter organisation, an account and an
API token for it; the exporter signs in, drafts an application, sees nothing of another
organisation's; the token, once revoked, is refused on its very next request."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from exportguard.db.models import Principal
from exportguard.domain.access import Actor, Role
from exportguard.domain.accounts import OrganisationKind
from exportguard.domain.applications import PartyRole
from exportguard.services.accounts import credentials
from exportguard.services.accounts.operator import first_administrator
from exportguard.services.accounts.organisations import list_organisations
from exportguard.services.system import ExportGuard
from tests.api.conftest import PageClient
from tests.factories import application_input, issued, world

SECRET = re.compile(r'<code id="secret">([^<]+)</code>')
ADMIN = Actor("admin.roy", Role.ADMINISTRATOR)
TOTP_KEY = re.compile(r'<code id="totp-secret">([^<]+)</code>')


def first_steps(client: PageClient, username: str, one_time: str, new_password: str) -> str | None:
    """Sign in with the one-time password, choose a password and (officials) enrol; the key or None."""
    assert client.post("/login", data={"username": username, "password": one_time}).status_code == 200
    chosen = client.post(
        "/account/password",
        data={"current_password": one_time, "password": new_password, "confirm": new_password},
        follow_redirects=False,
    )
    assert chosen.status_code == 303, chosen.text
    if chosen.headers["location"] != "/account/second-factor":
        return None
    key = TOTP_KEY.search(client.get("/account/second-factor").text)
    assert key is not None
    code = credentials.totp_now(key.group(1), client.clock.now())
    enrolled = client.post("/account/second-factor", data={"secret": key.group(1), "code": code})
    assert "Recovery codes" in enrolled.text
    return key.group(1)


def shown_once(response_text: str) -> str:
    found = SECRET.search(response_text)
    assert found is not None, response_text[-2000:]
    return found.group(1)


def test_first_administrator_to_an_exporter_drafting_and_a_revoked_token(
    eg: ExportGuard, client: PageClient
) -> None:
    with eg.read() as session:
        assert session.scalar(select(func.count()).select_from(Principal)) == 0  # nobody can sign in yet
    rival = world(eg)  # another organisation's records: Wescam, with a permit
    rival_permit = issued(eg, rival)

    admin = first_administrator(eg, "admin.roy", "A. Roy", "Global Affairs Canada")
    assert first_steps(client, "admin.roy", admin.one_time_password, "admin passphrase 2020") is not None
    page = client.get("/accounts")
    assert page.status_code == 200 and "New organisation" in page.text

    client.post(
        "/accounts/organisations",
        data={"kind": "exporter", "name": "Laurentide Aerostructures", "business_number": "123 456 789"},
    )
    with eg.read() as session:
        org = next(o for o in list_organisations(session, ADMIN) if o.kind == OrganisationKind.EXPORTER)
    made = client.post(
        "/accounts/new",
        data={
            "username": "ana.laurentide",
            "display_name": "Ana",
            "role": "exporter",
            "organisation_id": str(org.id),
        },
    )
    ana_password = shown_once(made.text)
    with eg.read() as session:
        ana_id = session.scalar(select(Principal.id).where(Principal.username == "ana.laurentide"))
    issued_page = client.post(
        "/tokens/new",
        data={
            "account_id": str(ana_id),
            "name": "ERP",
            "expires_in_days": "30",
            "scopes": ["draft_application", "read_applications", "read_permits"],
        },
    )
    token = shown_once(issued_page.text)
    assert token not in client.get("/accounts").text  # shown once, never listed

    exporter = PageClient(client.app)
    exporter.clock, exporter.totp_secrets, exporter.last_steps = client.clock, {}, {}
    assert first_steps(exporter, "ana.laurentide", ana_password, "laurentide passphrase") is None
    assert "Permit register" in exporter.get("/permits").text

    bearer = {"Authorization": f"Bearer {token}"}
    parties = [{"role": r, "party_id": org.id} for r in (PartyRole.APPLICANT, PartyRole.EXPORTER)] + [
        {"role": PartyRole.CONSIGNEE, "party_id": rival.consignee_id},
        {"role": PartyRole.END_USER, "party_id": rival.end_user_id},
    ]
    body = application_input(rival, parties=parties).model_dump(mode="json")
    drafted = client.post("/api/applications", json=body, headers=bearer)
    assert drafted.status_code == 201, drafted.text
    mine = client.get("/api/applications", headers=bearer).json()
    assert [a["id"] for a in mine] == [drafted.json()["id"]]
    assert client.get("/api/permits", headers=bearer).json() == []
    assert client.get(f"/api/permits/{rival_permit.id}", headers=bearer).status_code == 404
    assert client.get(f"/api/applications/{rival_permit.application_id}", headers=bearer).status_code == 404
    assert client.post("/api/permits/expire-due", headers=bearer).status_code == 403  # not its scope

    listed = client.get("/accounts").text
    revoke_path = re.search(r'action="(/tokens/\d+/revoke)"', listed)
    assert revoke_path is not None
    client.post(revoke_path.group(1), data={"reason": "ERP decommissioned"})
    refused = client.get("/api/applications", headers=bearer)
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["field"] == "authorization"
