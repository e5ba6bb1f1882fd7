"""Serve a WSGI app with gunicorn, with production settings: no reload, no debug.

gunicorn's own limits on the request head are the outer guard (its 431), set looser than
the core's, which the edge applies exactly; its threaded worker here also closes
connections whose headers do not all arrive in time, as gunicorn waits on them for ever.
"""

import logging
import socket
import time
from contextlib import suppress
from typing import TYPE_CHECKING, Any, cast

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.config import Config
from gunicorn.http import Request, wsgi
from gunicorn.workers.gthread import TConn, ThreadWorker

from ...core.database import MAX_CONNECTIONS, ConnectionPools
from ...core.http.limits import HEADER_READ_TIMEOUT_SECONDS, MAX_HEADER_BYTES, MAX_HEADER_FIELDS

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
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


class HeaderDeadlineWorker(ThreadWorker):
    """gunicorn's threaded worker, closing a connection whose request headers have not all
    arrived `header_read_timeout` seconds after a thread began reading them."""

    header_read_timeout = HEADER_READ_TIMEOUT_SECONDS

    def init_process(self) -> None:
        # Connections whose request head is being read, and when it is overdue.
        self.reading_heads: dict[TConn, float] = {}
        super().init_process()

    def handle(self, conn: TConn) -> bool:
        self.reading_heads[conn] = time.monotonic() + self.header_read_timeout
        try:
            return super().handle(conn)
        finally:
            self.reading_heads.pop(conn, None)

    def handle_request(self, req: Request, conn: TConn) -> bool:
        self.reading_heads.pop(conn, None)  # The head is complete.
        return super().handle_request(req, conn)

    def murder_keepalived(self, *args: bool, **kwargs: bool) -> None:
        """Run by the worker's loop every second: also end overdue heads, which wakes the
        thread blocked reading them."""
        super().murder_keepalived(*args, **kwargs)
        now = time.monotonic()
        for conn, deadline in list(self.reading_heads.items()):
            if deadline <= now:
                self.reading_heads.pop(conn, None)
                with suppress(OSError):  # Already closed by the client.
                    conn.sock.shutdown(socket.SHUT_RDWR)


class Server(BaseApplication):
    def __init__(
        self, app: "WSGIApplication", engine: ConnectionPools, options: dict[str, Any]
    ) -> None:
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
        # gunicorn's stubs type start_response more narrowly than the WSGI standard.
        return cast("_WSGIAppType", self.service)


def serve_with_gunicorn(
    app: "WSGIApplication",
    engine: ConnectionPools,
    *,
    host: str,
    port: int,
    header_read_timeout: float,
) -> None:
    """Serve `app` (whose database pools are `engine`) with the service's gunicorn settings."""
    wsgi.Response = _Response  # type: ignore[misc]

    class Worker(HeaderDeadlineWorker):
        pass

    Worker.header_read_timeout = header_read_timeout
    options = {
        "bind": f"{host}:{port}",
        # Workers: WEB_CONCURRENCY, which gunicorn reads itself (default 1).
        "worker_class": Worker,
        "threads": MAX_CONNECTIONS,
        "reload": False,
        "accesslog": None,  # The request context middleware logs every request with its id.
        "logger_class": _Logger,
        "loglevel": logging.getLevelName(logging.INFO).lower(),
        # A connection that has not sent its request within 5 s is closed.
        "keepalive": 5,
        "timeout": 30,
        "limit_request_line": 8190,
        # gunicorn counts every field as received and each with its line ending; it cannot
        # refuse what the core accepts.
        "limit_request_fields": MAX_HEADER_FIELDS,
        "limit_request_field_size": MAX_HEADER_BYTES + 2,
        # The app itself believes forwarded headers, and only from TRUSTED_PROXIES.
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "control_socket_disable": True,  # No management socket beside the service.
    }
    Server(app, engine, options).run()
