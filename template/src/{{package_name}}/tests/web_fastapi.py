"""The one test module that knows the web framework (FastAPI): it serves the app to httpx,
adds the probe routes, and reads the routes' declared policies.

Every other test speaks HTTP through the clients made here, so the same tests hold for
every framework the service can be built on.
"""

from typing import TYPE_CHECKING, Annotated

import httpx
import schemathesis
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient

from ..core.authorization import Policy
from ..core.errors import RateLimitedError
from ..core.http.docs import OPENAPI_PATH
from ..core.request_context import bind_principal
from ..core.settings import Settings
from ..web import create_app, declared_policies
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

App = FastAPI
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
    return TestClient(app, client=peer, raise_server_exceptions=raise_server_exceptions)


def openapi_schema(app: App, config: schemathesis.Config) -> "OpenApiSchema":
    """The document `app` serves, loaded by schemathesis to call `app` in-process (ASGI)."""
    return schemathesis.openapi.from_asgi(OPENAPI_PATH, app, config=config)


def route_policies(app: App) -> dict[tuple[str, str], list[Policy]]:
    """Every (method, path) of the app, with the policies its route declares."""
    return declared_policies(app)


def add_probe_routes(app: App) -> None:
    @app.post("/_probe/echo", response_model_exclude_unset=True)
    def echo(body: ProbeInput) -> ProbeInput:
        return body

    @app.get("/_probe/page")
    def page(query: Annotated[ProbePage, Query()]) -> ProbePage:
        return query

    @app.get("/_probe/crash")
    def crash() -> None:
        raise RuntimeError(CRASH_MESSAGE)

    @app.get("/_probe/principal")
    def principal() -> None:
        """Bind a caller as authentication does, from a worker thread like sync dependencies."""
        bind_principal(BOUND_USER, BOUND_TENANT)

    @app.get("/_probe/rate-limited")
    def rate_limited() -> None:
        """Answer as a limited route will: the core's 429, until the rate limits arrive."""
        raise RateLimitedError("Too many requests.", retry_after=RETRY_AFTER_SECONDS)
