"""Every error is an RFC 9457 problem with the request's id, and reveals nothing in production."""

import httpx
import pytest

from ..helpers import assert_problem
from ..log_capture import LogCapture
from ..probes import CRASH_MESSAGE, RETRY_AFTER_SECONDS

CANARY = "canary-7d1e-do-not-echo"


def test_unknown_path_is_404_problem(client: httpx.Client) -> None:
    assert_problem(client.get("/no-such-path"), 404)


def test_wrong_method_is_405_problem_with_allow_header(client: httpx.Client) -> None:
    response = client.delete("/health")

    assert_problem(response, 405)
    assert "GET" in response.headers["allow"]


def test_invalid_input_is_422_problem_with_locations(client: httpx.Client) -> None:
    response = client.post("/_probe/echo", json={"name": "", "count": 99})

    body = assert_problem(response, 422)
    locations = {tuple(error["loc"]) for error in body["errors"]}
    assert locations == {("body", "name"), ("body", "count")}
    assert all(set(error) == {"loc", "msg"} for error in body["errors"])


def test_invalid_input_is_not_echoed(client: httpx.Client) -> None:
    response = client.post(
        "/_probe/echo", json={"name": CANARY * 3, "count": CANARY, "extra": CANARY}
    )

    assert_problem(response, 422)
    assert CANARY not in response.text


def test_password_in_an_invalid_request_is_not_echoed(client: httpx.Client) -> None:
    response = client.post(
        "/_probe/echo", json={"count": 1, "email": "not-an-email", "password": CANARY}
    )

    body = assert_problem(response, 422)
    assert {tuple(error["loc"]) for error in body["errors"]} == {
        ("body", "name"),
        ("body", "email"),
    }
    assert CANARY not in response.text


def test_rate_limited_is_429_problem_with_retry_after(client: httpx.Client) -> None:
    with LogCapture() as logs:
        response = client.get("/_probe/rate-limited")

    assert_problem(response, 429)
    assert response.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert [line["path"] for line in logs.events("rate_limited")] == ["/_probe/rate-limited"]


def test_wrong_content_type_is_415_problem(client: httpx.Client) -> None:
    response = client.post("/_probe/echo", content=CANARY, headers={"content-type": "text/plain"})

    assert_problem(response, 415)
    assert CANARY not in response.text


def test_malformed_json_is_422_problem(client: httpx.Client) -> None:
    truncated_json = '{"name": "' + CANARY + '"'

    response = client.post(
        "/_probe/echo", content=truncated_json, headers={"content-type": "application/json"}
    )

    assert_problem(response, 422)
    assert CANARY not in response.text


@pytest.mark.parametrize("settings", [{"app_env": "production"}], indirect=True)
def test_crash_in_production_reveals_nothing(client: httpx.Client) -> None:
    response = client.get("/_probe/crash")

    body = assert_problem(response, 500)
    assert body["detail"] == "An unexpected error occurred."
    assert CRASH_MESSAGE not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text


@pytest.mark.parametrize("settings", [{"app_env": "development"}], indirect=True)
def test_crash_in_development_shows_the_exception(client: httpx.Client) -> None:
    body = assert_problem(client.get("/_probe/crash"), 500)

    assert body["detail"] == f"RuntimeError: {CRASH_MESSAGE}"
