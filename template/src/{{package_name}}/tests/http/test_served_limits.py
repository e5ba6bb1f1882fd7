"""The served app's server guards what the edge cannot see: request heads far over the
core's limits never reach the app, and connections whose headers never finish are closed
after the header-read timeout."""

import socket
import time
from collections.abc import Iterator
from contextlib import suppress
from urllib.parse import urlsplit

import httpx
import pytest

from ..served import cli_environment, serving, wait_until_serving

HEADER_READ_TIMEOUT = 1.0
# The worker's loop notices an overdue head within a second (web/wsgi/server.py).
CLOSING_MARGIN = 2.5


@pytest.fixture
def served(database_url: str, auth_process_environment: dict[str, str]) -> Iterator[str]:
    env = cli_environment(DATABASE_URL=database_url, **auth_process_environment)
    with serving(env, header_read_timeout=HEADER_READ_TIMEOUT) as (base_url, _):
        assert wait_until_serving(base_url).status_code == 200
        yield base_url


def connect(base_url: str, timeout: float = 10.0) -> socket.socket:
    address = urlsplit(base_url)
    return socket.create_connection((address.hostname, address.port), timeout=timeout)


def status_after_sending(base_url: str, head: bytes) -> int | None:
    """The status the server answers `head` with, or None if it closed the connection or
    stopped reading it without an answer."""
    with connect(base_url, timeout=5.0) as connection:
        try:
            # A server refusing the head stops reading it; its answer may still be there.
            with suppress(BrokenPipeError, ConnectionResetError):
                connection.sendall(head)
            reply = connection.recv(64)
        except (ConnectionResetError, TimeoutError):
            return None
    return int(reply.split()[1]) if reply.startswith(b"HTTP/1.1 ") else None


def head_with(fields: bytes) -> bytes:
    return b"GET /health HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n"


def test_heads_far_over_the_limits_are_refused(served: str) -> None:
    big_header = b"X-Big: " + b"a" * (16 * 1024 * 1024) + b"\r\n"
    many_fields = b"".join(b"X-Field-%d: 1\r\n" % index for index in range(3000))

    # Either the edge's 431 or the server's own refusal, never the app's answer.
    assert status_after_sending(served, head_with(big_header)) in (None, 400, 431)
    assert status_after_sending(served, head_with(many_fields)) == 431


def test_a_connection_that_never_finishes_its_headers_is_closed(served: str) -> None:
    with connect(served) as slow:
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        started = time.monotonic()
        # Others are served meanwhile.
        assert httpx.get(f"{served}/health", timeout=HEADER_READ_TIMEOUT).status_code == 200
        with suppress(ConnectionResetError):
            assert slow.recv(64) == b""
        waited = time.monotonic() - started

    assert waited < HEADER_READ_TIMEOUT + CLOSING_MARGIN
