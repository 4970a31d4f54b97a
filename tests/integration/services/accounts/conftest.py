"""Accounts on the ``eg`` fixture: an administrator, an exporter organisation, accounts by name."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from exportguard.domain.access import Actor, Role
from exportguard.domain.accounts import OrganisationKind
from exportguard.services.accounts import administration, organisations, sessions
from exportguard.services.accounts.administration import NewAccount
from exportguard.services.system import ExportGuard

ADMIN = Actor("admin.roy", Role.ADMINISTRATOR)
NEW_PASSWORD = "a new long passphrase"


@dataclass
class Orgs:
    exporter: int
    department: int
    rival: int


@pytest.fixture
def orgs(eg: ExportGuard) -> Orgs:
    made = []
    for kind, name, number in (
        (OrganisationKind.EXPORTER, "Laurentide Aerostructures", "123456789"),
        (OrganisationKind.DEPARTMENT, "Global Affairs Canada", None),
        (OrganisationKind.EXPORTER, "Rival Optics", "987654321"),
    ):
        with eg.uow(ADMIN) as uow:
            data = organisations.NewOrganisation(kind=kind, name=name, business_number=number)
            made.append(organisations.create_organisation(uow, data).id)
    return Orgs(*made)


def new_account(
    eg: ExportGuard, username: str, role: Role, org: int, *, org_admin: bool = False
) -> tuple[int, str]:
    """An account by the administrator: its id and one-time password."""
    with eg.uow(ADMIN) as uow:
        data = NewAccount(
            username=username,
            display_name=username.title(),
            role=role,
            organisation_id=org,
            organisation_admin=org_admin,
        )
        created = administration.create_account(uow, data)
    return created.account.id, created.one_time_password


def ready(eg: ExportGuard, session_id: str, one_time: str) -> None:
    """The first step inside a new session: the one-time password replaced."""
    sessions.change_password(eg, session_id, one_time, NEW_PASSWORD)
