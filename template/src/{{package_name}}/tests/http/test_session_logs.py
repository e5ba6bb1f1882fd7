"""A real session of the auth mode, with its logs captured: no credential it used reaches a
log line, its security events are logged, and authenticated lines name the caller.

The session itself (`run_session`) comes from the auth mode's fixtures: login, a failed
login, refresh, calls and logout for jwt; keys for api_key; the issuer's tokens for oidc.
"""

import json
from typing import Any

import httpx

from ..helpers import TEST_HOST
from ..log_capture import LogCapture
from ..principals import Kind, PrincipalFactory, SessionRunner


def is_the_test_clients(line: dict[str, Any]) -> bool:
    """The HTTP client of the tests logs the URLs it calls, a key in a query string included;
    the service itself logs paths without their query strings."""
    return line.get("logger") == "httpx" and f"//{TEST_HOST}/" in str(line["event"])


def test_a_session_leaves_no_credential_in_the_logs(
    api: httpx.Client, run_session: SessionRunner
) -> None:
    with LogCapture() as logs:
        session = run_session(api)

    lines = [line for line in logs.lines() if not is_the_test_clients(line)]
    text = "\n".join(json.dumps(line) for line in lines)
    assert session.credentials
    assert [credential for credential in session.credentials if credential in text] == []
    logged = {line["event"] for line in lines}
    assert set(session.events) - logged == set()


def test_lines_of_an_authenticated_request_name_the_caller(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    member = make_principal(Kind.MEMBER)

    with LogCapture() as logs:
        api.get("/api/v1/users/me", headers=member.headers)

    [line] = logs.events("request")
    assert line["user"] == str(member.id)
    assert line["status"] == 200


def test_authorization_denial_is_logged_with_the_caller(
    api: httpx.Client, make_principal: PrincipalFactory
) -> None:
    member = make_principal(Kind.MEMBER)

    with LogCapture() as logs:
        response = api.get("/api/v1/users", headers=member.headers)

    assert response.status_code == 403
    [denial] = logs.events("authorization_denied")
    assert denial["user"] == str(member.id)
    assert denial["level"] == "warning"
    assert (denial["method"], denial["path"]) == ("GET", "/api/v1/users")


def test_missing_credential_is_logged_without_a_caller(api: httpx.Client) -> None:
    with LogCapture() as logs:
        response = api.get("/api/v1/users/me")

    assert response.status_code == 401
    [failure] = logs.events("authentication_failed")
    assert failure["user"] is None
