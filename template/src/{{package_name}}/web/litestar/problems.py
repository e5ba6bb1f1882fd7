"""Answer every error as an RFC 9457 problem, as the core decides it, and read request
input through the core's models so that refusals name the same locations and messages in
every framework (Litestar's own validation reports them in its own shape)."""

from collections.abc import Mapping
from typing import NoReturn, TypeVar

from litestar import Response
from litestar.exceptions import HTTPException
from litestar.types import ExceptionHandlersMap

from ...core.errors import PROBLEM_CONTENT_TYPE, Problem, ServiceError
from ...core.http import request_input
from ...core.http.problems import framework_refusal, log_refusal
from ..asgi import request_id_of
from .auth import AnyRequest, asgi_scope

T = TypeVar("T")


def json_body(kind: type[T], request: AnyRequest, body: bytes) -> T:
    """The JSON request body (Litestar's raw `body`) as `kind`, judged in the route, after
    admission, as every framework does."""
    return request_input.json_body(kind, body, request.headers)


def query(kind: type[T], request: AnyRequest) -> T:
    return request_input.validated(kind, dict(request.query_params), "query")


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
    return problem_response(request, framework_refusal(exc.status_code), exc.headers)


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
