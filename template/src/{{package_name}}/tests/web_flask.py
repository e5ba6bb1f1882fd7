"""Flask for the tests (see adapter.py): its in-process client, over httpx's WSGI transport,
and the probe routes."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

import httpx
import schemathesis
from flask import Flask, Response
from schemathesis import Case
from schemathesis.core.transport import Response as SchemathesisResponse
from schemathesis.transport.wsgi import WSGI_TRANSPORT

from ..core.http.docs import OPENAPI_PATH
from ..web.flask.app import Service
from ..web.flask.problems import json_body, json_response, query
from . import probes
from .helpers import TEST_HOST
from .probes import ProbeInput, ProbePage

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from schemathesis.specs.openapi.schemas import OpenApiSchema

App = Flask


class Transport(httpx.WSGITransport):
    """httpx's WSGI transport, passing the path as a WSGI server does (its bytes as
    latin-1), and closing the app's database engine with the client, as a worker would."""

    def __init__(self, app: App, *, remote_addr: str, raise_app_exceptions: bool) -> None:
        self.service = app

        def as_a_server_would(
            environ: "WSGIEnvironment", start_response: "StartResponse"
        ) -> Iterable[bytes]:
            environ["PATH_INFO"] = environ["PATH_INFO"].encode().decode("latin-1")
            return app(environ, start_response)

        super().__init__(
            as_a_server_would, remote_addr=remote_addr, raise_app_exceptions=raise_app_exceptions
        )

    def close(self) -> None:
        if isinstance(self.service, Service):
            self.service.engines.dispose()


def in_process_client(
    app: App, *, peer: tuple[str, int], raise_server_exceptions: bool
) -> httpx.Client:
    """An httpx client speaking to `app` in-process, as `peer` (the client address)."""
    transport = Transport(app, remote_addr=peer[0], raise_app_exceptions=raise_server_exceptions)
    return httpx.Client(transport=transport, base_url=f"http://{TEST_HOST}")


_send_to_wsgi = WSGI_TRANSPORT.send
_NETWORK_OPTIONS = frozenset({"max_redirects", "verify", "cert", "proxies"})


def _send_in_process(case: "Case[Any]", **kwargs: object) -> SchemathesisResponse:
    """schemathesis 4.32's unauthenticated probes (its `ignored_auth` check) hand network
    options to the in-process WSGI client, which refuses them: none applies in-process."""
    options = {name: value for name, value in kwargs.items() if name not in _NETWORK_OPTIONS}
    return _send_to_wsgi(case, **cast("dict[str, Any]", options))


WSGI_TRANSPORT.send = _send_in_process  # type: ignore[method-assign]


def openapi_schema(app: App, config: schemathesis.Config) -> "OpenApiSchema":
    """The document `app` serves, loaded by schemathesis to call `app` in-process (WSGI)."""
    return schemathesis.openapi.from_wsgi(OPENAPI_PATH, app, config=config)


def add_probe_routes(app: App) -> None:
    @app.post("/_probe/echo")
    def echo() -> Response:
        body = json_body(ProbeInput)
        return json_response(body.model_dump(mode="json", exclude_unset=True) if body else None)

    @app.get("/_probe/page")
    def page() -> Response:
        return json_response(query(ProbePage).model_dump(mode="json"))

    for path, probe in probes.PLAIN_PROBES.items():
        app.add_url_rule(path, path, _answering_null(probe))


def _answering_null(probe: Callable[[], None]) -> Callable[[], Response]:
    def answer() -> Response:
        probe()
        return json_response(None)

    return answer
