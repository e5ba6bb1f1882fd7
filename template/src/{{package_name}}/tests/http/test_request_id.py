"""Every response carries an X-Request-ID, and each request is logged with it."""

import uuid

import httpx
import pytest
from structlog.testing import capture_logs


def test_request_id_is_generated(client: httpx.Client) -> None:
    response = client.get("/health")

    generated = response.headers["x-request-id"]
    # A random UUID (version 4, RFC 9562 variant) in its canonical lowercase text form.
    assert str(uuid.UUID(generated)) == generated
    assert uuid.UUID(generated).version == 4
    assert uuid.UUID(generated).variant == uuid.RFC_4122


def test_safe_incoming_request_id_is_kept(client: httpx.Client) -> None:
    response = client.get("/health", headers={"X-Request-ID": "trace-42.a_b"})

    assert response.headers["x-request-id"] == "trace-42.a_b"


@pytest.mark.parametrize("unsafe", ["x" * 65, "two words", "semi;colon", 'quote"d', ""])
def test_unsafe_incoming_request_id_is_replaced(client: httpx.Client, unsafe: str) -> None:
    response = client.get("/health", headers={"X-Request-ID": unsafe})

    assert uuid.UUID(response.headers["x-request-id"])


def test_each_distinct_request_gets_its_own_id(client: httpx.Client) -> None:
    first = client.get("/health").headers["x-request-id"]
    second = client.get("/health").headers["x-request-id"]

    assert first != second


def test_request_is_logged_with_its_id(client: httpx.Client) -> None:
    with capture_logs() as logs:
        response = client.get("/health/ready?token=hidden")

    request_logs = [entry for entry in logs if entry["event"] == "request"]
    assert len(request_logs) == 1
    entry = request_logs[0]
    assert entry["request_id"] == response.headers["x-request-id"]
    assert entry["method"] == "GET"
    assert entry["path"] == "/health/ready"
    assert entry["status"] == 200
    assert entry["duration_ms"] >= 0
    assert "hidden" not in str(logs)
