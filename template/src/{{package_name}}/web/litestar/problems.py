"""Answer every error as an RFC 9457 problem, as the core decides it, and validate request
input with the core's models so that refusals name the same locations and messages in
every framework (Litestar's own validation reports them in its own shape)."""

import json
import uuid
from collections.abc import Mapping
from http import HTTPStatus
from typing import NoReturn, TypeVar

from litestar import Response
from litestar.exceptions import HTTPException
from litestar.types import ExceptionHandlersMap
from pydantic import TypeAdapter, ValidationError

from ...core.errors import (
    PROBLEM_CONTENT_TYPE,
    FieldError,
    Problem,
    ServiceError,
    invalid_request,
    unsupported_media_type,
)
from ...core.http.problems import json_body_sent_as_another_type, log_refusal
from ..asgi import request_id_of
from .auth import AnyRequest, asgi_scope

T = TypeVar("T")
Loc = tuple[str | int, ...]


class RefusedError(ServiceError):
    """Input the core refuses before any service sees it: its problem as decided."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.refusal = problem

    def problem(self) -> Problem:
        return self.refusal


def invalid(loc: Loc, msg: str) -> RefusedError:
    return RefusedError(invalid_request((FieldError(loc=loc, msg=msg),)))


def validated(kind: type[T], value: object, loc: Loc) -> T:
    """`value` as `kind`, or a 422 whose errors are located under `loc`; location and
    message only, as echoing the input could reflect secrets or markup."""
    try:
        parsed = TypeAdapter(kind).validate_python(value)
    except ValidationError as error:
        errors = tuple(FieldError(loc=(*loc, *e["loc"]), msg=e["msg"]) for e in error.errors())
        raise RefusedError(invalid_request(errors)) from error
    return parsed


def json_body(kind: type[T], request: AnyRequest, body: bytes) -> T:
    """The JSON request body (Litestar's raw `body`) as `kind`: 415 for a body of another
    type. Judged in the route, after admission, as every framework does."""
    if json_body_sent_as_another_type(
        request.headers.get("content-type"),
        content_length=request.headers.get("content-length"),
        chunked="transfer-encoding" in request.headers,
    ):
        raise RefusedError(unsupported_media_type("application/json"))
    if not body:
        raise invalid(("body",), "Field required")
    try:
        document = json.loads(body)
    except json.JSONDecodeError as error:
        raise invalid(("body", error.pos), "JSON decode error") from error
    except (ValueError, RecursionError) as error:
        raise RefusedError(Problem(400, "There was an error parsing the body")) from error
    return validated(kind, document, ("body",))


def path_id(name: str, value: str) -> uuid.UUID:
    return validated(uuid.UUID, value, ("path", name))


def query(kind: type[T], request: AnyRequest) -> T:
    return validated(kind, dict(request.query_params), ("query",))


def problem_response(
    request: AnyRequest, problem: Problem, headers: Mapping[str, str] | None = None
) -> Response[dict[str, object]]:
    return Response(
        problem.to_body(request_id_of(asgi_scope(request))),
        status_code=problem.status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


def http_error(request: AnyRequest, exc: HTTPException) -> Response[dict[str, object]]:
    # The framework's own 404 and 405 (with Allow), and its refusals of unreadable input;
    # its details may quote the request, so the status's phrase stands for them.
    problem = Problem(status=exc.status_code, detail=HTTPStatus(exc.status_code).phrase)
    return problem_response(request, problem, exc.headers)


def service_error(request: AnyRequest, exc: ServiceError) -> Response[dict[str, object]]:
    log_refusal(exc, method=request.method, path=request.url.path)
    return problem_response(request, exc.problem(), exc.headers)


def unhandled(_: AnyRequest, exc: Exception) -> NoReturn:
    """Let crashes through to the edge's request context, which logs them and answers 500."""
    raise exc


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    HTTPException: http_error,
    ServiceError: service_error,
    Exception: unhandled,
}
