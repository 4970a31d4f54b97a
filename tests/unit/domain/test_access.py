"""The roles table, row by row: who may do what."""

from __future__ import annotations

import pytest

from exportguard.domain.access import PERMISSIONS, Action, Actor, Role, may, require
from exportguard.domain.errors import NotPermitted

R = Role
EXPECTED: dict[Action, set[Role]] = {
    Action.READ_REFERENCE: set(Role),
    Action.MANAGE_REFERENCE: {R.OFFICER, R.DIRECTOR},
    Action.READ_PARTIES: {R.EXPORTER, R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.CUSTOMS, R.AUDITOR},
    Action.MANAGE_PARTIES: {R.EXPORTER, R.OFFICER},
    Action.READ_APPLICATIONS: {R.EXPORTER, R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.AUDITOR},
    Action.DRAFT_APPLICATION: {R.EXPORTER, R.OFFICER},
    Action.SUBMIT_APPLICATION: {R.EXPORTER, R.OFFICER},
    Action.WITHDRAW_APPLICATION: {R.EXPORTER, R.OFFICER},
    Action.REVIEW_APPLICATION: {R.OFFICER},
    Action.ASSESS_APPLICATION: {R.OFFICER},
    Action.GIVE_ADVICE: {R.ADVISOR},
    Action.DECIDE_APPLICATION: {R.DIRECTOR, R.MINISTER},
    Action.READ_PERMITS: {R.EXPORTER, R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.CUSTOMS, R.AUDITOR},
    Action.VERIFY_PERMIT: set(Role),
    Action.ISSUE_PERMIT: {R.OFFICER, R.DIRECTOR},
    Action.ALTER_PERMIT: {R.DIRECTOR, R.MINISTER},
    Action.EXPIRE_PERMITS: {R.OFFICER, R.DIRECTOR},
    Action.RECORD_SHIPMENT: {R.EXPORTER, R.CUSTOMS, R.OFFICER},
    Action.CHECK_AUTHORISATION: {R.EXPORTER, R.CUSTOMS, R.OFFICER, R.DIRECTOR, R.MINISTER},
    Action.READ_CHECKS: {R.EXPORTER, R.CUSTOMS, R.OFFICER, R.DIRECTOR, R.MINISTER, R.AUDITOR},
    Action.READ_POLICIES: set(Role),
    Action.MANAGE_POLICIES: {R.DIRECTOR, R.MINISTER},
    Action.READ_AUDIT: {R.AUDITOR, R.DIRECTOR, R.MINISTER},
    Action.IMPORT_LIST: {R.OFFICER, R.DIRECTOR},
    Action.SCREEN_PARTY: {R.OFFICER},
    Action.RECORD_SCREENING_DISPOSITION: {R.OFFICER, R.DIRECTOR},
    Action.READ_SCREENING: {R.OFFICER, R.DIRECTOR, R.MINISTER, R.AUDITOR},
    Action.READ_REPORTS: {R.OFFICER, R.DIRECTOR, R.MINISTER, R.AUDITOR},
    Action.SUBMIT_ALLEGATION: set(Role),
    Action.RECORD_ALLEGATION: {R.OFFICER, R.DIRECTOR, R.CUSTOMS},
    Action.TRIAGE_ALLEGATION: {R.OFFICER, R.DIRECTOR},
    Action.INVESTIGATE: {R.OFFICER, R.DIRECTOR},
    Action.READ_INVESTIGATIONS: {R.OFFICER, R.DIRECTOR, R.MINISTER, R.AUDITOR},
    Action.RECORD_ASSURANCE: {R.OFFICER, R.DIRECTOR},
    Action.READ_ASSURANCES: {R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.AUDITOR},
    Action.VERIFY_END_USE: {R.OFFICER, R.DIRECTOR},
    Action.READ_DIVERSION_FLAGS: {R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.CUSTOMS, R.AUDITOR},
    Action.IMPORT_LOBBYING: {R.OFFICER, R.DIRECTOR},
    Action.READ_LOBBYING: {R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.AUDITOR},
    Action.READ_REPORTS: {R.OFFICER, R.DIRECTOR, R.MINISTER, R.AUDITOR},
    Action.REVERSE_SHIPMENT: {R.CUSTOMS, R.OFFICER},
    Action.REQUEST_REVERSAL: {R.EXPORTER},
    Action.READ_ASSESSMENT: {R.OFFICER, R.DIRECTOR, R.MINISTER, R.ADVISOR, R.AUDITOR},
    Action.MANAGE_ACCOUNTS: {R.ADMINISTRATOR},
    Action.INVITE_USERS: {R.ADMINISTRATOR, R.EXPORTER},
    Action.READ_ACCOUNTS: {R.ADMINISTRATOR, R.AUDITOR, R.EXPORTER},
}


def test_every_action_is_declared() -> None:
    assert set(PERMISSIONS) == set(Action) == set(EXPECTED)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_role_action(role: Role, action: Action) -> None:
    allowed = role in EXPECTED[action]
    assert may(role, action) is allowed
    actor = Actor("someone", role, 1)
    if allowed:
        require(actor, action)
    else:
        with pytest.raises(NotPermitted) as err:
            require(actor, action)
        assert err.value.status == 403


def test_only_exporters_are_limited_to_their_own_records() -> None:
    assert [r for r in Role if Actor("x", r).limited_to_own_records] == [Role.EXPORTER]


def test_an_exporter_sees_only_its_own_organisations_records() -> None:
    exporter = Actor("x", Role.EXPORTER, organisation_id=7)
    assert exporter.sees(7) and not exporter.sees(8) and not exporter.sees(None)
    assert not Actor("y", Role.EXPORTER).sees(None), "an exporter with no organisation sees nothing"
    for role in Role:
        if role is not Role.EXPORTER:
            assert Actor("z", role).sees(8) and Actor("z", role).sees(None), role


def test_a_token_acts_only_within_its_scopes() -> None:
    scoped = Actor("feed", Role.CUSTOMS, None, frozenset({Action.CHECK_AUTHORISATION}))
    require(scoped, Action.CHECK_AUTHORISATION)
    with pytest.raises(NotPermitted, match="not scoped to record shipment"):
        require(scoped, Action.RECORD_SHIPMENT)  # the role may; the token may not
    with pytest.raises(NotPermitted, match="role 'customs' may not"):
        require(scoped, Action.ALTER_PERMIT)
