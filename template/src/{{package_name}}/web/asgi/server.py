"""Serve an ASGI app with uvicorn, with production settings: no reload, no debug."""

from collections.abc import Awaitable, Callable

import uvicorn


def serve_with_uvicorn(app: Callable[..., Awaitable[None]], *, host: str, port: int) -> None:
    uvicorn.run(
        app,
        host=host,
        port=port,
        # The app itself believes forwarded headers, and only from TRUSTED_PROXIES.
        proxy_headers=False,
        server_header=False,
        access_log=False,  # The request context middleware logs every request with its id.
        log_config=None,  # Keep the JSON logging configured by configure_logging.
    )
