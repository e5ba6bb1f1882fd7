"""FastAPI for the tests (see adapter.py): its in-process client and the probe routes."""

from typing import TYPE_CHECKING, Annotated

import httpx
import schemathesis
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient

from ..core.http.docs import OPENAPI_PATH
from . import probes
from .probes import ProbeInput, ProbePage

if TYPE_CHECKING:
    from schemathesis.specs.openapi.schemas import OpenApiSchema

App = FastAPI


def in_process_client(
    app: App, *, peer: tuple[str, int], raise_server_exceptions: bool
) -> httpx.Client:
    """An httpx client speaking to `app` in-process, as `peer` (the client address)."""
    return TestClient(app, client=peer, raise_server_exceptions=raise_server_exceptions)


def openapi_schema(app: App, config: schemathesis.Config) -> "OpenApiSchema":
    """The document `app` serves, loaded by schemathesis to call `app` in-process (ASGI)."""
    return schemathesis.openapi.from_asgi(OPENAPI_PATH, app, config=config)


def add_probe_routes(app: App) -> None:
    @app.post("/_probe/echo", response_model_exclude_unset=True)
    def echo(body: ProbeInput) -> ProbeInput:
        return body

    @app.get("/_probe/page")
    def page(query: Annotated[ProbePage, Query()]) -> ProbePage:
        return query

    @app.get("/_probe/crash")
    def crash() -> None:
        probes.crash()

    @app.get("/_probe/principal")
    def principal() -> None:
        """Bind a caller as authentication does, from a worker thread like sync dependencies."""
        probes.bind_a_principal()

    @app.get("/_probe/rate-limited")
    def rate_limited() -> None:
        """Answer as a limited route will: the core's 429, until the rate limits arrive."""
        probes.refuse_as_rate_limited()
