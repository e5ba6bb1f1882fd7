"""Answer every error as an RFC 9457 problem built by the core's error model."""

from collections.abc import Mapping

import structlog
from fastapi import FastAPI, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import Scope

from ...core.errors import (
    PROBLEM_CONTENT_TYPE,
    AuthenticationError,
    FieldError,
    PermissionDeniedError,
    Problem,
    RateLimitedError,
    ServiceError,
    invalid_request,
    unsupported_media_type,
)

logger = structlog.get_logger(__name__)


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_CONTENT_TYPE

    def __init__(
        self, problem: Problem, request_id: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(problem.to_body(request_id), status_code=problem.status, headers=headers)


def request_id_of(scope: Scope) -> str:
    """The id RequestContextMiddleware gave this request."""
    return str(scope["state"]["request_id"])


def _json_body_sent_as_another_type(request: Request) -> bool:
    """Whether the route reads a JSON body and the request sent its body as something else.

    The framework then validates the raw bytes, which fails: the answer is 415, not 422.
    Form and file routes judge their own content types.
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.body_field is None:
        return False
    if isinstance(route.body_field.field_info, params.Form):
        return False
    sent = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if not sent:
        # No type is wrong only when a body came: a missing body is for validation to report.
        length = request.headers.get("content-length", "0")
        return "transfer-encoding" in request.headers or length not in ("", "0")
    is_json = sent == "application/json" or sent.endswith("+json")
    return not (is_json and sent.startswith("application/"))


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> ProblemResponse:
        # Covers the framework's own 404 and 405 (which carries an Allow header).
        problem = Problem(status=exc.status_code, detail=str(exc.detail))
        return ProblemResponse(problem, request_id_of(request.scope), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> ProblemResponse:
        if _json_body_sent_as_another_type(request):
            problem = unsupported_media_type("application/json")
            return ProblemResponse(problem, request_id_of(request.scope))
        # Location and message only: echoing the input could reflect secrets or markup.
        errors = tuple(
            FieldError(loc=tuple(error["loc"]), msg=error["msg"]) for error in exc.errors()
        )
        return ProblemResponse(invalid_request(errors), request_id_of(request.scope))

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> ProblemResponse:
        # Security events: the caller is named by the request context, never the credential.
        if isinstance(exc, AuthenticationError):
            logger.warning("authentication_failed", method=request.method, path=request.url.path)
        elif isinstance(exc, PermissionDeniedError):
            # Whether a route's policy or an object-level rule refused.
            logger.warning("authorization_denied", method=request.method, path=request.url.path)
        elif isinstance(exc, RateLimitedError):
            logger.warning(
                "rate_limited", method=request.method, path=request.url.path, bucket=exc.bucket
            )
        return ProblemResponse(exc.problem(), request_id_of(request.scope), exc.headers)
