"""Serve the OpenAPI document the core builds from the routes' declarations, and the
interactive API docs (Swagger UI) with the policy the core makes for their page."""

import inspect
from collections.abc import Callable, Iterator
from functools import cache
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from fastapi import FastAPI, Request, params
from fastapi.dependencies.models import Dependant
from fastapi.responses import HTMLResponse

from ...core.http.docs import DOCS_PAGE, DOCS_PAGE_POLICY, DOCS_PATH
from ...core.http.openapi import Inputs, Operation, model_in, openapi_document
from .auth import declarations, flat_routes


def refusing(statuses: tuple[int, ...]) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: the statuses its own work can refuse with (core/http/openapi.py)."""
    return {status: {} for status in statuses}


def _inputs(endpoint: Callable[..., Any], responses: dict[int | str, Any]) -> Inputs:
    """What the endpoint reads, by its parameters (a JSON body, a query model, an upload),
    and what it refuses, by the statuses of its `responses=`."""
    defaults = inspect.signature(endpoint).parameters
    inputs: dict[str, Any] = {"refusals": tuple(int(status) for status in responses)}
    for name, hint in get_type_hints(endpoint, include_extras=True).items():
        kind, *metadata = get_args(hint) if get_origin(hint) is Annotated else (hint,)
        if any(isinstance(marker, params.File) for marker in metadata):
            inputs["upload"] = name
        elif any(isinstance(marker, params.Query) for marker in metadata):
            inputs["query"] = model_in(kind)
        elif name != "return" and (model := model_in(kind)) is not None:
            inputs["body"] = model
            inputs["body_required"] = defaults[name].default is inspect.Parameter.empty
    return Inputs(**inputs)


def operations(app: FastAPI) -> Iterator[Operation]:
    """The app's declared routes, as the core's OpenAPI builder reads them."""
    for route in flat_routes(app):
        dependant = getattr(route, "dependant", None)
        declared = declarations(dependant) if isinstance(dependant, Dependant) else []
        if not declared or not route.include_in_schema:
            continue
        for method in sorted(route.methods):
            yield Operation(
                method=method,
                path=route.path,
                name=route.name,
                policy=declared[0].policy,
                status=route.status_code or 200,
                summary=inspect.getdoc(route.endpoint),
                tags=tuple(str(tag) for tag in route.tags),
                answer=model_in(route.response_model),
                inputs=_inputs(route.endpoint, route.responses),
            )


def install_docs(app: FastAPI) -> dict[str, str]:
    """Serve the document at OPENAPI_PATH and the docs page at DOCS_PATH; return the
    page's policy, by path."""
    # FastAPI's documented way to serve a document of one's own.
    app.openapi = cache(lambda: openapi_document(operations(app)))  # type: ignore[method-assign]

    async def docs(_: Request) -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    # A plain route, as FastAPI's own docs are: outside the API and its schema.
    app.add_route(DOCS_PATH, docs, include_in_schema=False)
    return {DOCS_PATH: DOCS_PAGE_POLICY}
