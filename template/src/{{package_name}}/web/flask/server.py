"""Serve the Flask app with gunicorn, with production settings: no reload, no debug."""

import logging
from typing import TYPE_CHECKING, Any, cast

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.config import Config
from gunicorn.http import wsgi
from sqlalchemy import Engine

from ...core.database import MAX_CONNECTIONS
from ...core.settings import Settings
from .app import create_app

if TYPE_CHECKING:
    from flask import Flask
    from gunicorn._types import _WSGIAppType


class _Logger(glogging.Logger):
    """gunicorn's own lines through the service's JSON logging (configure_logging)."""

    def setup(self, cfg: Config) -> None:
        super().setup(cfg)
        self.error_log.handlers = []
        self.error_log.propagate = True


class _Response(wsgi.Response):
    """gunicorn's response without its Server header: no response names its software."""

    def default_headers(self) -> list[str]:
        return [line for line in super().default_headers() if not line.startswith("Server:")]


class Server(BaseApplication):
    def __init__(self, app: "Flask", engine: Engine, options: dict[str, Any]) -> None:
        # Made before the socket is bound, so no request waits on a worker still loading.
        self.service = app
        self.engine = engine
        self.options = {**options, "preload_app": True, "post_fork": self.post_fork}
        super().__init__()

    def post_fork(self, _arbiter: object, _worker: object) -> None:
        # Connections opened before the fork are the master's: each worker opens its own.
        self.engine.dispose(close=False)

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self) -> "_WSGIAppType":
        # The stubs' start_response is narrower than the WSGI one Flask is typed with.
        return cast("_WSGIAppType", self.service)


def serve(settings: Settings, *, host: str, port: int) -> None:
    app = create_app(settings)
    serve_with_gunicorn(app, app.engine, host=host, port=port)


def serve_with_gunicorn(app: "Flask", engine: Engine, *, host: str, port: int) -> None:
    """Serve `app` (whose database is `engine`) with the service's gunicorn settings."""
    wsgi.Response = _Response  # type: ignore[misc]
    options = {
        "bind": f"{host}:{port}",
        # Workers: WEB_CONCURRENCY, which gunicorn reads itself (default 1).
        "worker_class": "gthread",
        "threads": MAX_CONNECTIONS,
        "reload": False,
        "accesslog": None,  # The request context middleware logs every request with its id.
        "logger_class": _Logger,
        "loglevel": logging.getLevelName(logging.INFO).lower(),
        # A connection that has not sent its request within 5 s is closed.
        "keepalive": 5,
        "timeout": 30,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        # The app itself believes forwarded headers, and only from TRUSTED_PROXIES.
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "control_socket_disable": True,  # No management socket beside the service.
    }
    Server(app, engine, options).run()
