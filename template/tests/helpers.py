"""Assertions shared by the HTTP tests."""

from typing import Any

import httpx

PROBLEM_FIELDS = {"type", "title", "status", "detail", "request_id"}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """Check the response is an RFC 9457 problem with the request's id; return its body."""
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body.keys() >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["request_id"] == response.headers["x-request-id"]
    return body
