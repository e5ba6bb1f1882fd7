"""The OpenAPI document of the declared routes (built by the core from their declarations),
and the interactive docs (Swagger UI) with the policy the core makes for their page."""

from collections.abc import Iterator

from flask import Flask, Response

from ...core.http.docs import DOCS_PAGE, DOCS_PAGE_POLICY, DOCS_PATH, OPENAPI_PATH
from ...core.http.openapi import Operation, openapi_document
from .auth import endpoints
from .problems import json_response


def operations(app: Flask) -> Iterator[Operation]:
    """The app's declared routes, as the core's OpenAPI builder reads them."""
    for method, path, rule, endpoint in endpoints(app):
        yield Operation(
            method=method,
            path=path,
            name=endpoint.handler.__name__,
            policy=endpoint.declaration.policy,
            status=endpoint.status,
            summary=(endpoint.handler.__doc__ or "").strip() or None,
            # Blueprints are named after their part of the API: api.items.create_item.
            tags=tuple(name.replace("_", "-") for name in rule.split(".")[-2:-1]),
            answer=endpoint.response,
            inputs=endpoint.inputs,
        )


def install_docs(app: Flask) -> dict[str, str]:
    """Serve the document at OPENAPI_PATH and its page at DOCS_PATH; return the page's
    policy, by path."""

    def openapi() -> Response:
        # Built when asked, so it holds every route the app has by then.
        return json_response(openapi_document(operations(app)))

    def docs() -> Response:
        return Response(DOCS_PAGE, content_type="text/html; charset=utf-8")

    # Plain views, as FastAPI's own docs are: outside the API and its declarations.
    app.add_url_rule(OPENAPI_PATH, "openapi", openapi)
    app.add_url_rule(DOCS_PATH, "docs", docs)
    return {DOCS_PATH: DOCS_PAGE_POLICY}
