"""The one test module that knows the web framework (Litestar): it serves the app to httpx,
adds the probe routes, and reads the routes' declared policies.

Every other test speaks HTTP through the clients made here, so the same tests hold for
every framework the service can be built on.
"""

from typing import TYPE_CHECKING, Any

import httpx
import schemathesis
from litestar import Litestar, get, post
from litestar.enums import ScopeType
from litestar.params import RawBody
from litestar.testing import TestClient
from litestar.types import Receive, Scope, Send

from ..core.authorization import Policy
from ..core.errors import RateLimitedError
from ..core.http.docs import OPENAPI_PATH
from ..core.request_context import bind_principal
from ..core.settings import Settings
from ..web import create_app, declared_policies
from ..web.litestar.auth import AnyRequest
from ..web.litestar.problems import json_body, query
from .probes import (
    BOUND_TENANT,
    BOUND_USER,
    CRASH_MESSAGE,
    RETRY_AFTER_SECONDS,
    ProbeInput,
    ProbePage,
)

if TYPE_CHECKING:
    from schemathesis.specs.openapi.schemas import OpenApiSchema

App = Litestar
DEFAULT_PEER = ("testclient", 50000)


def build_app(settings: Settings, *, probes: bool = False) -> App:
    """The service's app for `settings`, with the test-only probe routes if asked."""
    app = create_app(settings)
    if probes:
        add_probe_routes(app)
    return app


def client_for(
    app: App, *, peer: tuple[str, int] = DEFAULT_PEER, raise_server_exceptions: bool = False
) -> httpx.Client:
    """An httpx client speaking to `app` in-process, as `peer` (the client address)."""

    async def from_peer(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            scope["client"] = peer
        await app(scope, receive, send)

    return TestClient(
        from_peer, base_url="http://testserver", raise_server_exceptions=raise_server_exceptions
    )


def openapi_schema(app: App, config: schemathesis.Config) -> "OpenApiSchema":
    """The document `app` serves, loaded by schemathesis to call `app` in-process (ASGI)."""
    return schemathesis.openapi.from_asgi(OPENAPI_PATH, app, config=config)


def route_policies(app: App) -> dict[tuple[str, str], list[Policy]]:
    """Every (method, path) of the app, with the policies its route declares."""
    return declared_policies(app)


def add_probe_routes(app: App) -> None:
    @post("/_probe/echo", status_code=200, sync_to_thread=True)
    def echo(request: AnyRequest, body: RawBody) -> dict[str, Any]:
        return json_body(ProbeInput, request, body).model_dump(mode="json", exclude_unset=True)

    @get("/_probe/page", sync_to_thread=False)
    def page(request: AnyRequest) -> ProbePage:
        return query(ProbePage, request)

    @get("/_probe/crash", sync_to_thread=False)
    def crash() -> None:
        raise RuntimeError(CRASH_MESSAGE)

    @get("/_probe/principal", sync_to_thread=True)
    def principal() -> None:
        """Bind a caller as authentication does, from a worker thread like sync dependencies."""
        bind_principal(BOUND_USER, BOUND_TENANT)

    @get("/_probe/rate-limited", sync_to_thread=False)
    def rate_limited() -> None:
        """Answer as a limited route will: the core's 429, until the rate limits arrive."""
        raise RateLimitedError("Too many requests.", retry_after=RETRY_AFTER_SECONDS)

    for handler in (echo, page, crash, principal, rate_limited):
        app.register(handler)
