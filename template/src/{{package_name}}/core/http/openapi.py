"""The OpenAPI document the service serves, built once for every framework.

Each adapter lists its routes as `Operation`s: what a route declares (its policy, its
inputs as the core's pydantic models, its answer). What a route can answer is derived here
from those declarations, so every framework documents the same statuses, the same
validation rules (the models' own schemas) and every error as the one `Problem` schema in
`application/problem+json`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, get_args

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ... import SERVICE_NAME
from ..authorization import Policy
from ..errors import PROBLEM_CONTENT_TYPE
from ..security.mode import CREDENTIAL_HEADER

DOCUMENT_VERSION = "0.1.0"
_REF = "#/components/schemas/{model}"
_CREDENTIAL = "credential"
# What the edge can refuse on any route: a body over its limit (413), a repeated query
# parameter (422), the rate limit (429), request headers over their cap (431); and what
# can fail anywhere: a crash (500), the database or the rate limit's store (503).
EVERY_ROUTE = (413, 422, 429, 431, 500, 503)
BAD_CREDENTIAL = (int(HTTPStatus.UNAUTHORIZED),)
"""The refusal of a public route that checks a credential itself (login, refresh)."""
CONFLICT = (int(HTTPStatus.CONFLICT),)
"""The refusal of a route whose work can conflict with what exists: an email or a tenant's
name already taken, the last active superuser to be removed."""
UNKNOWN_REFERENCE = (int(HTTPStatus.NOT_FOUND),)
"""The refusal of a route whose body names another resource that may not exist (the user a
new API key is for)."""


class FieldError(BaseModel):
    """Where a request was invalid and why (core/errors.py), never the submitted value."""

    loc: list[str | int]
    msg: str


class Problem(BaseModel):
    """The body of every error (core/errors.py, `Problem.to_body`)."""

    type: str
    title: str
    status: int
    detail: str
    request_id: str
    errors: list[FieldError] | None = None


@dataclass(frozen=True)
class Inputs:
    """What a route reads, and what its own work can refuse with.

    `body` is a JSON body (optional unless `body_required`), `query` the model of the query
    string, `upload` the name of a multipart file field; `refusals` are the statuses the
    route's work can answer beyond what its declaration implies (409).
    """

    body: type[BaseModel] | None = None
    body_required: bool = True
    query: type[BaseModel] | None = None
    upload: str | None = None
    refusals: tuple[int, ...] = ()


@dataclass(frozen=True)
class Operation:
    """One route, as its adapter declares it: `path` is in OpenAPI form
    (`/api/v1/items/{item_id}`), and every path parameter is an id."""

    method: str
    path: str
    name: str
    policy: Policy
    status: int
    summary: str | None = None
    tags: tuple[str, ...] = ()
    answer: type[BaseModel] | None = None
    inputs: Inputs = Inputs()

    @property
    def path_ids(self) -> list[str]:
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]

    def problem_statuses(self) -> list[int]:
        """Every error status the route can answer."""
        statuses = {*EVERY_ROUTE, *self.inputs.refusals}
        if self.policy is not Policy.PUBLIC:
            statuses |= {401, 403}
        if self.path_ids:
            statuses.add(404)
        if self.inputs.body is not None or self.inputs.upload is not None:
            # 400: a body that cannot be parsed at all; 415: one of the wrong type.
            statuses |= {400, 415}
        return sorted(statuses)


def model_in(kind: object) -> type[BaseModel] | None:
    """The pydantic model an annotation names, alone or as an option (`Model | None`)."""
    for candidate in (kind, *get_args(kind)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _security_scheme() -> dict[str, str]:
    if CREDENTIAL_HEADER.lower() == "authorization":
        return {"type": "http", "scheme": "bearer"}
    return {"type": "apiKey", "in": "header", "name": CREDENTIAL_HEADER}


def _parameters(operation: Operation) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "format": "uuid"},
        }
        for name in operation.path_ids
    ]
    if operation.inputs.query is not None:
        query = operation.inputs.query.model_json_schema()
        parameters += [
            {
                "name": name,
                "in": "query",
                "required": name in query.get("required", ()),
                "schema": schema,
            }
            for name, schema in query["properties"].items()
        ]
    return parameters


def _request_body(operation: Operation, refs: dict[Any, Any]) -> dict[str, Any] | None:
    if operation.inputs.body is not None:
        schema = refs[(operation.inputs.body, "validation")]
        content = {"application/json": {"schema": schema}}
        return {"required": operation.inputs.body_required, "content": content}
    if operation.inputs.upload is not None:
        upload = {
            "type": "object",
            "required": [operation.inputs.upload],
            "properties": {operation.inputs.upload: {"type": "string", "format": "binary"}},
        }
        return {"required": True, "content": {"multipart/form-data": {"schema": upload}}}
    return None


def _responses(operation: Operation, refs: dict[Any, Any]) -> dict[str, Any]:
    success: dict[str, Any] = {"description": HTTPStatus(operation.status).phrase}
    if operation.answer is not None:
        schema = refs[(operation.answer, "serialization")]
        success["content"] = {"application/json": {"schema": schema}}
    problem = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": _REF.format(model="Problem")}}}
    return {str(operation.status): success} | {
        str(status): {"description": HTTPStatus(status).phrase, "content": problem}
        for status in operation.problem_statuses()
    }


def _operation(operation: Operation, refs: dict[Any, Any]) -> dict[str, Any]:
    described: dict[str, Any] = {
        "operationId": operation.name,
        "tags": list(operation.tags),
        "parameters": _parameters(operation),
        "responses": _responses(operation, refs),
    }
    if operation.summary:
        described["summary"] = operation.summary
    body = _request_body(operation, refs)
    if body is not None:
        described["requestBody"] = body
    if operation.policy is not Policy.PUBLIC:
        described["security"] = [{_CREDENTIAL: []}]
    return described


def openapi_document(operations: Iterable[Operation]) -> dict[str, Any]:
    """The document of `operations`: their paths, inputs, answers and problems."""
    routes = sorted(operations, key=lambda operation: (operation.path, operation.method))
    inputs = {route.inputs.body for route in routes if route.inputs.body is not None}
    answers = {route.answer for route in routes if route.answer is not None}
    refs, schemas = models_json_schema(
        [(model, "validation") for model in sorted(inputs | {Problem}, key=str)]
        + [(model, "serialization") for model in sorted(answers, key=str)],
        ref_template=_REF,
    )
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": SERVICE_NAME, "version": DOCUMENT_VERSION},
        "paths": paths,
        "components": {
            "schemas": schemas.get("$defs", {}),
            "securitySchemes": {_CREDENTIAL: _security_scheme()},
        },
    }
