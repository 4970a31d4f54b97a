"""Local administration of a database: the first administrator of a new production database.

Run by whoever operates the database (``exportguard operator first-admin``), not by a signed-in
account: it is refused once an administrator exists, so it cannot be used to add a second one.
"""

from __future__ import annotations

from sqlalchemy import func, select

from exportguard.db.models import Organisation, Party, Principal
from exportguard.domain.access import Actor, Role
from exportguard.domain.accounts import OrganisationKind
from exportguard.domain.errors import Conflict, Problem
from exportguard.services.accounts.administration import CreatedAccount, NewAccount, create_account
from exportguard.services.accounts.organisations import NewOrganisation, create_organisation
from exportguard.services.system import ExportGuard

OPERATOR = Actor("operator", Role.ADMINISTRATOR)


def first_administrator(
    system: ExportGuard, username: str, display_name: str, department: str
) -> CreatedAccount:
    """The department (created if new) and its administrator, with a one-time password."""
    with system.read() as session:
        if session.scalar(select(Principal.id).where(Principal.role == Role.ADMINISTRATOR.value)):
            raise Conflict(
                "this database has an administrator already: they create the other accounts",
                [Problem("username", "an administrator exists")],
            )
        org_id = session.scalar(
            select(Organisation.party_id)
            .join(Party, Party.id == Organisation.party_id)
            .where(
                func.lower(Party.name) == department.lower(), Organisation.kind == OrganisationKind.DEPARTMENT
            )
        )
    if org_id is None:
        with system.uow(OPERATOR) as uow:
            org_id = create_organisation(
                uow, NewOrganisation(kind=OrganisationKind.DEPARTMENT, name=department)
            ).id
    with system.uow(OPERATOR) as uow:
        return create_account(
            uow,
            NewAccount(
                username=username,
                display_name=display_name,
                role=Role.ADMINISTRATOR,
                organisation_id=org_id,
            ),
        )
