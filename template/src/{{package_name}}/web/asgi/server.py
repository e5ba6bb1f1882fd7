"""Serve an ASGI app with uvicorn, with production settings: no reload, no debug.

uvicorn's h11 protocol bounds the request head (httptools has no such bound), and the
protocol here also closes connections whose headers do not all arrive in time: uvicorn
itself times out only idle connections between requests.
"""

import asyncio
from collections.abc import Awaitable, Callable

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from ...core.http.limits import HEADER_READ_TIMEOUT_SECONDS, MAX_HEADER_BYTES

# The outer guard: beyond this the server refuses the head (400) before the app sees it;
# up to it, the edge applies the core's exact limits (431).
SERVER_MAX_HEAD_BYTES = 4 * MAX_HEADER_BYTES


class HeaderDeadlineProtocol(H11Protocol):
    """h11 over uvicorn, closing a connection still waiting for a request's headers
    `header_read_timeout` seconds after it opened or after its previous response."""

    header_read_timeout = HEADER_READ_TIMEOUT_SECONDS
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def _await_headers(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(self.header_read_timeout, self._headers_overdue)

    def _headers_overdue(self) -> None:
        # IDLE: h11 has not yet parsed a whole request head since the deadline was set.
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def serve_with_uvicorn(
    app: Callable[..., Awaitable[None]], *, host: str, port: int, header_read_timeout: float
) -> None:
    class Protocol(HeaderDeadlineProtocol):
        pass

    Protocol.header_read_timeout = header_read_timeout
    uvicorn.run(
        app,
        host=host,
        port=port,
        http=Protocol,
        h11_max_incomplete_event_size=SERVER_MAX_HEAD_BYTES,
        # The app itself believes forwarded headers, and only from TRUSTED_PROXIES.
        proxy_headers=False,
        server_header=False,
        access_log=False,  # The request context middleware logs every request with its id.
        log_config=None,  # Keep the JSON logging configured by configure_logging.
    )
