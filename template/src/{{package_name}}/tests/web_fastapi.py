"""FastAPI for the tests (see adapter.py): its in-process client and the probe routes."""

from typing import TYPE_CHECKING, Annotated

import httpx
import schemathesis
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient

from ..core.http.docs import OPENAPI_PATH
from . import probes
from .helpers import TEST_HOST
from .probes import ProbeInput, ProbePage

if TYPE_CHECKING:
    from schemathesis.specs.openapi.schemas import OpenApiSchema

App = FastAPI


def in_process_client(
    app: App, *, peer: tuple[str, int], raise_server_exceptions: bool
) -> httpx.Client:
    """An httpx client speaking to `app` in-process, as `peer` (the client address)."""
    return TestClient(
        app,
        base_url=f"http://{TEST_HOST}",
        client=peer,
        raise_server_exceptions=raise_server_exceptions,
    )


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

    for path, probe in probes.PLAIN_PROBES.items():
        app.add_api_route(path, probe, methods=["GET"], response_model=None)
