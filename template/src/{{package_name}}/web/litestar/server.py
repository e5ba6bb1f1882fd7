"""Serve the Litestar app with uvicorn, with production settings: no reload, no debug."""

import uvicorn

from ...core.settings import Settings
from .app import create_app


def serve(settings: Settings, *, host: str, port: int) -> None:
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        # The app itself believes forwarded headers, and only from TRUSTED_PROXIES.
        proxy_headers=False,
        server_header=False,
        access_log=False,  # The request context middleware logs every request with its id.
        log_config=None,  # Keep the JSON logging configured by configure_logging.
    )
