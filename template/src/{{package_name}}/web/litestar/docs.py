"""Serve the OpenAPI document the core builds from the routes' declarations, and the
interactive API docs (Swagger UI) with the policy the core makes for their page.

Litestar reads a route's inputs from its signature, where these routes take the raw body
(their models validate it after admission, see problems.py): a route names what it reads
in its `opt` instead, under the names of core/http/openapi.py's `Inputs` (`body`,
`body_required`, `query`, `upload`, `refusals`).
"""

import inspect
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

from litestar import Litestar, MediaType, get
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

from ...core.http.docs import DOCS_PAGE, DOCS_PAGE_POLICY, DOCS_PATH, OPENAPI_PATH
from ...core.http.openapi import Inputs, Operation, model_in, openapi_document
from .auth import AnyRequest, declarations

INPUTS = [field.name for field in fields(Inputs)]


def operations(app: Litestar) -> Iterator[Operation]:
    """The app's declared routes, as the core's OpenAPI builder reads them."""
    for route in app.routes:
        handlers = route.route_handlers if isinstance(route, HTTPRoute) else []
        for handler in filter(HTTPRouteHandler.resolve_include_in_schema, handlers):
            declared = declarations(handler)
            inputs = Inputs(**{name: handler.opt[name] for name in INPUTS if name in handler.opt})
            for method in sorted(handler.http_methods) if declared else ():
                yield Operation(
                    method=method,
                    path=route.path_format,
                    name=handler.handler_name,
                    policy=declared[0].policy,
                    status=handler.status_code,
                    # A handler run in a thread is wrapped; the docstring is the wrapped function's.
                    summary=inspect.getdoc(getattr(handler.fn, "func", handler.fn)),
                    tags=tuple(handler.resolve_tags()),
                    answer=model_in(handler.parsed_fn_signature.return_type.annotation),
                    inputs=inputs,
                )


@get(OPENAPI_PATH, include_in_schema=False, sync_to_thread=False)
def openapi(request: AnyRequest) -> dict[str, Any]:
    return openapi_document(operations(request.app))


@get(DOCS_PATH, media_type=MediaType.HTML, include_in_schema=False, sync_to_thread=False)
def docs() -> str:
    return DOCS_PAGE


def docs_routes() -> tuple[list[HTTPRouteHandler], dict[str, str]]:
    """The document's and the docs page's routes, and the page's policy, by path."""
    return [openapi, docs], {DOCS_PATH: DOCS_PAGE_POLICY}
