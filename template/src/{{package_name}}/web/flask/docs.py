"""The OpenAPI document of the declared routes, and the interactive docs (Swagger UI) with
the policy the core makes for their page.

The document is built from the routes' declarations and the core's pydantic models: each
operation lists its parameters, its body, its success answer, and the problems its
declaration and inputs can answer with, all as `application/problem+json`.
"""

from html import escape
from typing import Any

from flask import Flask, Response
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ...core.authorization import Policy
from ...core.errors import PROBLEM_CONTENT_TYPE
from ...core.http.docs import DOCS_PATH, OPENAPI_PATH, SWAGGER_UI_ASSETS, docs_policy
from .auth import Endpoint, endpoints
from .problems import json_response

_REF = "#/components/schemas/{model}"
_PAGE = """<!DOCTYPE html>
<html>
<head>
<link type="text/css" rel="stylesheet" href="%(assets)sswagger-ui.css">
<link rel="shortcut icon" href="%(assets)sfavicon-32x32.png">
<title>%(title)s - API docs</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src="%(assets)sswagger-ui-bundle.js"></script>
<script>
const ui = SwaggerUIBundle({url: '%(openapi)s', dom_id: '#swagger-ui', validatorUrl: null})
</script>
</body>
</html>
"""


class FieldErrorOut(BaseModel):
    loc: list[str | int]
    msg: str


class ProblemOut(BaseModel):
    """The problem every error is answered with (core/errors.py, `Problem.to_body`)."""

    type: str
    title: str
    status: int
    detail: str
    request_id: str
    errors: list[FieldErrorOut] | None = None


def _error_statuses(endpoint: Endpoint[Any], path_ids: list[str]) -> list[int]:
    statuses = [429, 500]
    if endpoint.declaration.policy is not Policy.PUBLIC:
        statuses += [401, 403]
    if path_ids:
        statuses.append(404)
    if endpoint.body is not None or endpoint.upload is not None:
        statuses += [413, 415]
    if path_ids or endpoint.body or endpoint.query or endpoint.upload:
        statuses.append(422)
    return sorted(statuses)


def openapi_document(app: Flask) -> dict[str, Any]:
    routes = list(endpoints(app))
    models = {endpoint.body for _, _, endpoint in routes if endpoint.body} | {ProblemOut}
    answers = {endpoint.response for _, _, endpoint in routes if endpoint.response}
    refs, schemas = models_json_schema(
        [(model, "validation") for model in models]
        + [(model, "serialization") for model in answers],
        ref_template=_REF,
    )
    problem = {PROBLEM_CONTENT_TYPE: {"schema": refs[(ProblemOut, "validation")]}}
    paths: dict[str, dict[str, Any]] = {}
    for method, path, endpoint in routes:
        path_ids = [part[1:-1] for part in path.split("/") if part.startswith("{")]
        parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "string", "format": "uuid"},
            }
            for name in path_ids
        ]
        if endpoint.query is not None:
            query = endpoint.query.model_json_schema()
            parameters += [
                {
                    "name": name,
                    "in": "query",
                    "required": name in query.get("required", ()),
                    "schema": schema,
                }
                for name, schema in query["properties"].items()
            ]
        success: dict[str, Any] = {"description": "Success"}
        if endpoint.response is not None:
            schema = refs[(endpoint.response, "serialization")]
            success["content"] = {"application/json": {"schema": schema}}
        responses = {str(endpoint.status): success} | {
            str(status): {"description": "Problem", "content": problem}
            for status in _error_statuses(endpoint, path_ids)
        }
        operation: dict[str, Any] = {
            "operationId": endpoint.handler.__name__,
            "summary": (endpoint.handler.__doc__ or "").strip() or None,
            "parameters": parameters,
            "responses": responses,
        }
        if endpoint.body is not None:
            body = {"application/json": {"schema": refs[(endpoint.body, "validation")]}}
            operation["requestBody"] = {"required": endpoint.body_required, "content": body}
        if endpoint.upload is not None:
            upload = {
                "type": "object",
                "required": [endpoint.upload],
                "properties": {endpoint.upload: {"type": "string", "format": "binary"}},
            }
            operation["requestBody"] = {
                "required": True,
                "content": {"multipart/form-data": {"schema": upload}},
            }
        paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": app.name, "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas.get("$defs", {})},
    }


def install_docs(app: Flask) -> dict[str, str]:
    """Serve the document at OPENAPI_PATH and its page at DOCS_PATH; return the page's
    policy, by path."""
    page = _PAGE % {"assets": SWAGGER_UI_ASSETS, "title": escape(app.name), "openapi": OPENAPI_PATH}

    def openapi() -> Response:
        # Built when asked, so it holds every route the app has by then.
        return json_response(openapi_document(app))

    def docs() -> Response:
        return Response(page, content_type="text/html; charset=utf-8")

    # Plain views, as FastAPI's own docs are: outside the API and its declarations.
    app.add_url_rule(OPENAPI_PATH, "openapi", openapi)
    app.add_url_rule(DOCS_PATH, "docs", docs)
    return {DOCS_PATH: docs_policy(page)}
