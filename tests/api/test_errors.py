"""Every API error is an RFC 9457 problem; credentials decide 401 versus 403."""

from __future__ import annotations

from sqlalchemy import func, select

from exportguard.db.models import AuditEvent, Party
from exportguard.services.system import ExportGuard
from tests.api.conftest import Api, assert_problem


def test_unknown_route_is_a_problem(api: Api) -> None:
    body = assert_problem(api.get("/no-such-thing", "officer"), 404)
    assert body["title"] == "Not found"


def test_wrong_method_is_a_problem(api: Api) -> None:
    assert_problem(api.call("PATCH", "/permits/1", "minister", json={"state": "suspended"}), 405)


def test_malformed_json_names_the_body(api: Api) -> None:
    response = api.post(
        "/parties", "officer", content=b'{"name": "X",', headers={"content-type": "application/json"}
    )
    assert_problem(response, 400, "body")


def test_missing_body_names_the_body(api: Api) -> None:
    assert_problem(api.post("/parties", "officer"), 422, "body")


def test_unknown_query_parameter_is_named(api: Api) -> None:
    assert_problem(api.get("/permits?destinaton=TR", "officer"), 422, "destinaton")


def test_unknown_token_is_401_with_a_challenge(api: Api) -> None:
    response = api.get("/permits", headers={"Authorization": "Bearer nope"})
    assert_problem(response, 401, "authorization")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_other_authorization_scheme_is_401(api: Api) -> None:
    assert_problem(api.get("/permits", headers={"Authorization": "Basic b2ZmaWNlcjp4"}), 401, "authorization")


def test_no_credentials_is_the_public_role(api: Api) -> None:
    assert api.get("/control-list").status_code == 200
    assert_problem(api.get("/permits"), 401, "authorization")


def test_a_role_without_the_permission_gets_403(api: Api) -> None:
    assert_problem(api.get("/audit/events", "officer"), 403)
    assert_problem(api.get("/applications", "customs"), 403)


def test_nothing_is_written_when_a_command_fails(api: Api, eg: ExportGuard) -> None:
    def counts() -> tuple[int, int]:
        with eg.read() as s:
            return (
                s.scalar(select(func.count()).select_from(Party)) or 0,
                s.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            )

    before = counts()
    assert_problem(api.post("/parties", "officer", json={"name": "X", "country": "ZZ"}), 422, "country")
    assert_problem(
        api.post("/parties", "officer", json={"name": "X", "country": "CA", "organisation_id": 999}), 404
    )
    assert counts() == before


def test_a_token_refused_once_is_refused_again_and_a_known_one_still_works(api: Api) -> None:
    # The principal cache remembers known tokens only: an unknown one is asked about every time.
    for _ in range(2):
        assert_problem(api.get("/permits", headers={"Authorization": "Bearer nope"}), 401, "authorization")
    for _ in range(2):
        assert api.get("/permits", "officer").status_code == 200


def test_every_response_carries_the_security_headers(api: Api) -> None:
    for response in (api.get("/control-list"), api.get("/permits"), api.client.get("/static/site.css")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["referrer-policy"] == "same-origin"


def test_a_refusal_is_said_in_the_language_asked_with_its_codes(api: Api) -> None:
    """The domain says codes with parameters; the API says them in the request's language."""
    english = assert_problem(api.get("/audit/events", "officer"), 403)
    assert english["detail"].startswith("role 'officer' may not ")
    french = assert_problem(api.get("/audit/events", "officer", headers={"Accept-Language": "fr-CA"}), 403)
    assert french["detail"].startswith("le rôle « ") and " ne permet pas : " in french["detail"]
    assert french["title"] == english["title"]  # RFC 9457's title stays the English name of the type
