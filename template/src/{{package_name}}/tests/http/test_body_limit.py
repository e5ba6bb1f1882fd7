"""Request bodies over MAX_BODY_BYTES are refused with 413, however they are sent."""

from collections.abc import Iterator

import httpx
import pytest

from ..helpers import assert_problem

LIMIT = 1024

pytestmark = pytest.mark.parametrize("settings", [{"max_body_bytes": LIMIT}], indirect=True)


def chunked(body: bytes, chunk_size: int = 256) -> Iterator[bytes]:
    """Stream a body without a Content-Length header."""
    for start in range(0, len(body), chunk_size):
        yield body[start : start + chunk_size]


def test_declared_oversized_body_is_413_problem(client: httpx.Client) -> None:
    response = client.post("/_probe/echo", content=b"x" * (LIMIT + 1))

    assert_problem(response, 413)


def test_streamed_oversized_body_is_413_problem(client: httpx.Client) -> None:
    response = client.post("/_probe/echo", content=chunked(b"x" * (LIMIT * 3)))

    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_problem(response, 413)


def test_streamed_body_within_limit_reaches_the_route(client: httpx.Client) -> None:
    response = client.post(
        "/_probe/echo",
        content=chunked(b'{"name": "within", "count": 3}', chunk_size=8),
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 200
    assert response.json() == {"name": "within", "count": 3}
