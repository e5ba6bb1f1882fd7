"""Litestar for the tests (see adapter.py): its in-process client and the probe routes."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
import schemathesis
from litestar import Litestar, get, post
from litestar.enums import ScopeType
from litestar.params import RawBody
from litestar.testing import TestClient
from litestar.types import Receive, Scope, Send

from ..core.http.docs import OPENAPI_PATH
from ..web.litestar.auth import AnyRequest
from ..web.litestar.problems import json_body, query
from . import probes
from .helpers import TEST_HOST
from .probes import ProbeInput, ProbePage

if TYPE_CHECKING:
    from schemathesis.specs.openapi.schemas import OpenApiSchema

App = Litestar


def in_process_client(
    app: App, *, peer: tuple[str, int], raise_server_exceptions: bool
) -> httpx.Client:
    """An httpx client speaking to `app` in-process, as `peer` (the client address)."""

    async def from_peer(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            scope["client"] = peer
        await app(scope, receive, send)

    return TestClient(
        from_peer, base_url=f"http://{TEST_HOST}", raise_server_exceptions=raise_server_exceptions
    )


def openapi_schema(app: App, config: schemathesis.Config) -> "OpenApiSchema":
    """The document `app` serves, loaded by schemathesis to call `app` in-process (ASGI)."""
    return schemathesis.openapi.from_asgi(OPENAPI_PATH, app, config=config)


def add_probe_routes(app: App) -> None:
    @post("/_probe/echo", status_code=200, sync_to_thread=True)
    def echo(request: AnyRequest, body: RawBody) -> dict[str, Any]:
        return json_body(ProbeInput, request, body).model_dump(mode="json", exclude_unset=True)

    @get("/_probe/page", sync_to_thread=False)
    def page(request: AnyRequest) -> ProbePage:
        return query(ProbePage, request)

    for handler in (echo, page):
        app.register(handler)
    for path, probe in probes.PLAIN_PROBES.items():
        app.register(get(path, sync_to_thread=True, name=path)(_answering_null(probe)))


def _answering_null(probe: Callable[[], None]) -> Callable[[], None]:
    """The probe as a handler whose return annotation Litestar reads as a JSON null."""

    def answer() -> None:
        probe()

    return answer
