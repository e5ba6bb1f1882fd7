"""Logs are JSON lines with the request's id, user and tenant; credentials never reach them,
and user input cannot forge a line."""

import logging

import httpx
import pytest
import structlog

from ...core.logs import REDACTED
from ...core.request_context import bind_principal, request_scope
from ..helpers import assert_problem
from ..log_capture import LogCapture
from ..principals import Kind, Membership, PrincipalFactory
from ..probes import BOUND_TENANT, BOUND_USER, CRASH_MESSAGE

CANARY = "canary-4f1d-never-logged"
logger = structlog.get_logger("tests")


def test_each_request_is_one_json_line_with_its_context(client: httpx.Client) -> None:
    with LogCapture() as logs:
        response = client.get("/health", headers={"X-Request-ID": "req-1"})

    [line] = logs.events("request")
    assert line["request_id"] == response.headers["x-request-id"] == "req-1"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/health", 200)
    assert line["duration_ms"] >= 0
    assert line["user"] is None
    assert line["tenant"] is None
    assert line["level"] == "info"
    assert line["timestamp"].endswith("Z")


def test_principal_bound_in_a_worker_thread_is_logged_with_the_request(
    client: httpx.Client,
) -> None:
    with LogCapture() as logs:
        client.get("/_probe/principal")

    [line] = logs.events("request")
    assert (line["user"], line["tenant"]) == (BOUND_USER, BOUND_TENANT)


def test_an_authenticated_request_is_logged_with_its_user_and_tenant(
    api: httpx.Client, make_principal: PrincipalFactory, membership: Membership
) -> None:
    member = make_principal(Kind.MEMBER)
    tenant = membership(Kind.MEMBER).get("tenant_id")

    with LogCapture() as logs:
        api.get("/api/v1/users/me", headers=member.headers)

    [line] = logs.events("request")
    assert (line["user"], line["tenant"]) == (str(member.id), tenant and str(tenant))


def test_lines_logged_during_a_request_carry_its_context() -> None:
    with LogCapture() as logs, request_scope("req-2"):
        bind_principal("user-2", None)
        logger.info("security_event")
        logging.getLogger("library").warning("from the standard library")

    for line in logs.lines():
        assert (line["request_id"], line["user"], line["tenant"]) == ("req-2", "user-2", None)


def test_binding_outside_a_request_changes_nothing() -> None:
    bind_principal("nobody", "nowhere")

    with LogCapture() as logs:
        logger.info("outside")

    assert "user" not in logs.lines()[0]


@pytest.mark.parametrize(
    "fields",
    [
        {"password": CANARY},
        {"new_password": CANARY},
        {"token": CANARY},
        {"refresh_token": CANARY},
        {"access_token": CANARY},
        {"jwt_secret": CANARY},
        {"api_key": CANARY},
        {"headers": {"Authorization": f"Bearer {CANARY}", "X-API-Key": CANARY}},
        {"headers": {"Cookie": f"session={CANARY}", "Set-Cookie": f"session={CANARY}"}},
        {"request": {"body": {"user": {"password": CANARY}}}},
        {"raw_headers": [(b"authorization", CANARY.encode()), (b"x-api-key", CANARY.encode())]},
        {"attempts": [{"email": "a@example.com", "password": CANARY}]},
    ],
    ids=lambda fields: next(iter(fields)),
)
def test_credentials_are_redacted_wherever_they_sit(fields: dict[str, object]) -> None:
    with LogCapture() as logs:
        logger.info("with_credentials", **fields)

    assert CANARY not in logs.text
    assert REDACTED in logs.text


def test_harmless_fields_are_kept() -> None:
    with LogCapture() as logs:
        logger.info(
            "login_failed", email="a@example.com", reason="bad_credentials", key_prefix="bk_1"
        )

    [line] = logs.lines()
    assert (line["email"], line["reason"], line["key_prefix"]) == (
        "a@example.com",
        "bad_credentials",
        "bk_1",
    )


FORGED = '{"event": "forged", "level": "critical"}'


def test_user_input_cannot_forge_a_log_line(client: httpx.Client) -> None:
    encoded = FORGED.replace(" ", "%20").replace('"', "%22")
    for path in ("/x%0d%0a" + encoded, "/x%0a" + encoded, "/x%e2%80%a8%0b%0c%1b[2J"):
        with LogCapture() as logs:
            client.get(path)

        lines = logs.lines()  # Each line is one JSON object, or this fails.
        assert [line for line in lines if line["event"] == "forged"] == []
        [request] = logs.events("request")
        assert "\n" in request["path"] or "\x1b" in request["path"]


def test_standard_library_records_cannot_forge_lines_either() -> None:
    with LogCapture() as logs:
        logging.getLogger("uvicorn.error").warning("bad input: %s", "x\r\n" + FORGED)

    assert [line["event"] for line in logs.lines()] == [f"bad input: x\r\n{FORGED}"]


@pytest.mark.parametrize("settings", [{"app_env": "production"}], indirect=True)
def test_crash_trace_goes_to_the_log_not_the_response(client: httpx.Client) -> None:
    with LogCapture() as logs:
        response = client.get("/_probe/crash")

    assert_problem(response, 500)
    assert CRASH_MESSAGE not in response.text
    [crash] = logs.events("unhandled_exception")
    assert crash["request_id"] == response.headers["x-request-id"]
    assert crash["level"] == "error"
    assert "Traceback" in crash["exception"]
    assert CRASH_MESSAGE in crash["exception"]
    [request] = logs.events("request")
    assert request["status"] == 500


def test_validation_failure_logs_no_submitted_value(client: httpx.Client) -> None:
    with LogCapture() as logs:
        client.post("/_probe/echo", json={"count": 1, "password": CANARY})

    assert CANARY not in logs.text
