"""The core's admission sequence around every Flask view.

Every route declares one `Policy` through the declaration it is made with (`route`):
`Security.requires` (authenticate, then check the policy), `Security.public_session` or
`Security.public` (no credential). The core's `Admission` decides; the declarations only
hand it the request's credential and client address, and hold a database session for the
request. `declared_policies` reads the declarations back, so a test can prove that no
route was left without one.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Concatenate, Generic, get_type_hints

from flask import Blueprint, Flask, Response, request
from pydantic import BaseModel

from ...core.authorization import Policy, Principal
from ...core.http.openapi import Inputs
from ...core.http.request_input import path_id
from ..wsgi.declarations import C, Declaration, Declarations
from .problems import json_body, json_response, query, uploaded_file
from .routes import openapi_path

Result = BaseModel | Response | None
Handler = Callable[Concatenate[C, ...], Result]


@dataclass(frozen=True)
class Endpoint(Generic[C]):
    """A view: admits the request as declared, reads its input, runs the handler.

    The handler gets what the declaration admitted, the path's ids as UUIDs and, by name,
    `body` (JSON, as `body`'s model), `query` (as `query`'s model) or `upload` (the
    multipart file field of that name).
    """

    declaration: Declaration[C]
    handler: Handler[C]
    status: int
    inputs: Inputs

    @property
    def response(self) -> type[BaseModel] | None:
        """The model the handler answers with, for the OpenAPI document."""
        answer = get_type_hints(self.handler).get("return")
        return answer if isinstance(answer, type) and issubclass(answer, BaseModel) else None

    def __call__(self, **path: str) -> Response:
        with self.declaration.admit(request.environ) as admitted:
            inputs: dict[str, Any] = {name: path_id(name, value) for name, value in path.items()}
            reads = self.inputs
            if reads.body is not None:
                inputs["body"] = json_body(reads.body, required=reads.body_required)
            if reads.query is not None:
                inputs["query"] = query(reads.query)
            if reads.upload is not None:
                inputs["upload"] = uploaded_file(reads.upload).stream
            result = self.handler(admitted, **inputs)
            if isinstance(result, BaseModel):
                return json_response(result.model_dump(mode="json"), self.status)
            return Response(status=self.status) if result is None else result


def route(
    routes: Blueprint,
    method: str,
    rule: str,
    declaration: Declaration[C],
    *,
    status: int = 200,
    body: type[BaseModel] | None = None,
    body_required: bool = True,
    query: type[BaseModel] | None = None,
    upload: str | None = None,
    refusals: tuple[int, ...] = (),
) -> Callable[[Handler[C]], Handler[C]]:
    """Add the decorated handler to `routes` at `method rule`, admitted by `declaration`;
    `refusals` are the statuses its own work can answer (core/http/openapi.py)."""

    def add(handler: Handler[C]) -> Handler[C]:
        endpoint = Endpoint(
            declaration, handler, status, Inputs(body, body_required, query, upload, refusals)
        )
        routes.add_url_rule(rule, handler.__name__, endpoint, methods=[method])
        return handler

    return add


class Security(Declarations):
    def credential_attempt(
        self, *, email: str | None = None, principal: Principal | None = None
    ) -> AbstractContextManager[None]:
        return self.credential_attempt_from(request.environ, email=email, principal=principal)


def endpoints(app: Flask) -> Iterator[tuple[str, str, str, Endpoint[Any]]]:
    """Every (method, OpenAPI-style path, endpoint name, endpoint) of the app's declared
    routes."""
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if isinstance(view, Endpoint):
            path = openapi_path(rule.rule)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield method, path, rule.endpoint, view


def declared_policies(app: Flask) -> dict[tuple[str, str], list[Policy]]:
    """Every (method, path) of the app's API routes, with the policies it declares."""
    return {(method, path): [view.declaration.policy] for method, path, _, view in endpoints(app)}
