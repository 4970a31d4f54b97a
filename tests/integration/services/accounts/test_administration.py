"""Organisations and accounts by administrators; invitations by an exporter's own administrator."""

from __future__ import annotations

import pytest

from exportguard.domain.access import Actor, Role
from exportguard.domain.accounts import OrganisationKind, StatusCommand
from exportguard.domain.errors import Conflict, IllegalTransition, InvalidInput, NotFound, NotPermitted
from exportguard.services.accounts import administration, organisations
from exportguard.services.accounts.administration import Invitation, NewAccount
from exportguard.services.accounts.operator import first_administrator
from exportguard.services.accounts.sign_in import Outcome, sign_in
from exportguard.services.system import ExportGuard
from tests.integration.services.accounts.conftest import ADMIN, Orgs, new_account


def test_organisations_are_unique_by_name_and_business_number(eg: ExportGuard, orgs: Orgs) -> None:
    for name, number, field in (
        ("laurentide AEROSTRUCTURES", "111111111", "name"),
        ("Other", "123-456-789", "business_number"),
    ):
        with eg.uow(ADMIN) as uow, pytest.raises(Conflict) as err:
            organisations.create_organisation(
                uow,
                organisations.NewOrganisation(
                    kind=OrganisationKind.EXPORTER, name=name, business_number=number
                ),
            )
        assert err.value.problems[0].field == field
    with eg.uow(ADMIN) as uow, pytest.raises(InvalidInput, match="business_number"):
        organisations.create_organisation(
            uow, organisations.NewOrganisation(kind=OrganisationKind.EXPORTER, name="No BN")
        )
    with eg.read() as session:
        names = [o.name for o in organisations.list_organisations(session, ADMIN)]
    assert names == ["Global Affairs Canada", "Laurentide Aerostructures", "Rival Optics"]


def test_roles_fit_their_organisation_and_only_administrators_create_accounts(
    eg: ExportGuard, orgs: Orgs
) -> None:
    with eg.uow(ADMIN) as uow, pytest.raises(InvalidInput, match="cannot hold the role 'minister'"):
        administration.create_account(
            uow,
            NewAccount(username="m.x", display_name="M", role=Role.MINISTER, organisation_id=orgs.exporter),
        )
    officer = Actor("officer.roy", Role.OFFICER)
    with eg.uow(officer) as uow, pytest.raises(NotPermitted):
        administration.create_account(
            uow,
            NewAccount(username="o.x", display_name="O", role=Role.OFFICER, organisation_id=orgs.department),
        )
    new_account(eg, "ana.laurentide", Role.EXPORTER, orgs.exporter)
    with eg.uow(ADMIN) as uow, pytest.raises(Conflict, match="exists"):
        administration.create_account(
            uow,
            NewAccount(
                username="ana.laurentide", display_name="A", role=Role.EXPORTER, organisation_id=orgs.exporter
            ),
        )


def test_an_exporters_administrator_invites_and_suspends_only_its_own_people(
    eg: ExportGuard, orgs: Orgs
) -> None:
    new_account(eg, "boss.laurentide", Role.EXPORTER, orgs.exporter, org_admin=True)
    plain, _ = new_account(eg, "clerk.laurentide", Role.EXPORTER, orgs.exporter)
    rival, _ = new_account(eg, "clerk.rival", Role.EXPORTER, orgs.rival)
    boss = Actor("boss.laurentide", Role.EXPORTER, orgs.exporter)
    with eg.uow(boss) as uow:
        invited = administration.invite_user(uow, Invitation(username="new.laurentide", display_name="New"))
    assert (invited.account.role, invited.account.organisation_id) == ("exporter", orgs.exporter)
    assert sign_in(eg, "new.laurentide", invited.one_time_password).outcome is Outcome.SIGNED_IN
    clerk = Actor("clerk.laurentide", Role.EXPORTER, orgs.exporter)
    with eg.uow(clerk) as uow, pytest.raises(NotPermitted, match="organisation's administrator"):
        administration.invite_user(uow, Invitation(username="sneaky", display_name="S"))
    with eg.uow(boss) as uow:
        administration.change_account_status(uow, plain, StatusCommand.SUSPEND, "left")
    with eg.uow(boss) as uow, pytest.raises(NotFound):  # another organisation's: as if absent
        administration.change_account_status(uow, rival, StatusCommand.SUSPEND, "not mine")
    with eg.read() as session:
        seen = {a.username for a in administration.list_accounts(session, boss)}
    assert seen == {"boss.laurentide", "clerk.laurentide", "new.laurentide"}


def test_suspend_and_reenable_accounts_and_organisations(eg: ExportGuard, orgs: Orgs) -> None:
    account, one_time = new_account(eg, "ana.laurentide", Role.EXPORTER, orgs.exporter)
    with eg.uow(ADMIN) as uow:
        organisations.change_organisation_status(uow, orgs.exporter, StatusCommand.SUSPEND, "licence review")
    assert sign_in(eg, "ana.laurentide", one_time).outcome is Outcome.REFUSED
    with eg.uow(ADMIN) as uow:
        organisations.change_organisation_status(uow, orgs.exporter, StatusCommand.REENABLE, "review over")
    assert sign_in(eg, "ana.laurentide", one_time).outcome is Outcome.SIGNED_IN
    with eg.uow(ADMIN) as uow, pytest.raises(IllegalTransition):
        administration.change_account_status(uow, account, StatusCommand.REENABLE, "already active")
    with eg.uow(ADMIN) as uow:
        reset = administration.reset_credentials(uow, account, "forgotten", second_factor=False)
    assert sign_in(eg, "ana.laurentide", one_time).outcome is Outcome.REFUSED
    assert sign_in(eg, "ana.laurentide", reset.one_time_password).outcome is Outcome.SIGNED_IN


def test_the_first_administrator_once(eg: ExportGuard) -> None:
    created = first_administrator(eg, "admin.roy", "A. Roy", "Global Affairs Canada")
    assert created.account.role == "administrator" and len(created.one_time_password) >= 20
    assert sign_in(eg, "admin.roy", created.one_time_password).outcome is Outcome.SIGNED_IN
    with pytest.raises(Conflict, match="administrator already"):
        first_administrator(eg, "admin.two", "B", "Global Affairs Canada")
