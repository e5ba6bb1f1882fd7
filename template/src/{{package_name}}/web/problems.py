"""Answer every error as an RFC 9457 problem built by the core's error model."""

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import Scope

from ..core.errors import (
    PROBLEM_CONTENT_TYPE,
    FieldError,
    Problem,
    ServiceError,
    invalid_request,
)


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_CONTENT_TYPE

    def __init__(
        self, problem: Problem, request_id: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(problem.to_body(request_id), status_code=problem.status, headers=headers)


def request_id_of(scope: Scope) -> str:
    """The id RequestContextMiddleware gave this request."""
    return str(scope["state"]["request_id"])


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> ProblemResponse:
        # Covers the framework's own 404 and 405 (which carries an Allow header).
        problem = Problem(status=exc.status_code, detail=str(exc.detail))
        return ProblemResponse(problem, request_id_of(request.scope), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> ProblemResponse:
        # Location and message only: echoing the input could reflect secrets or markup.
        errors = tuple(
            FieldError(loc=tuple(error["loc"]), msg=error["msg"]) for error in exc.errors()
        )
        return ProblemResponse(invalid_request(errors), request_id_of(request.scope))

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> ProblemResponse:
        return ProblemResponse(exc.problem(), request_id_of(request.scope))
