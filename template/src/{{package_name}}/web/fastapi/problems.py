"""Answer every error as an RFC 9457 problem, as the core decides it."""

from collections.abc import Mapping

from fastapi import FastAPI, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from ...core.errors import (
    PROBLEM_CONTENT_TYPE,
    FieldError,
    Problem,
    ServiceError,
    invalid_request,
    unsupported_media_type,
)
from ...core.http.problems import (
    framework_refusal,
    json_body_sent_as_another_type,
    log_refusal,
)
from ..asgi import request_id_of


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_CONTENT_TYPE

    def __init__(
        self, problem: Problem, request_id: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(problem.to_body(request_id), status_code=problem.status, headers=headers)


def _reads_a_json_body(request: Request) -> bool:
    """Whether the route validates a JSON body (form and file routes judge their own types)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.body_field is None:
        return False
    return not isinstance(route.body_field.field_info, params.Form)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> ProblemResponse:
        problem = framework_refusal(exc.status_code)
        return ProblemResponse(problem, request_id_of(request.scope), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> ProblemResponse:
        if _reads_a_json_body(request) and json_body_sent_as_another_type(request.headers):
            problem = unsupported_media_type("application/json")
            return ProblemResponse(problem, request_id_of(request.scope))
        # Location and message only: echoing the input could reflect secrets or markup.
        errors = tuple(
            FieldError(loc=tuple(error["loc"]), msg=error["msg"]) for error in exc.errors()
        )
        return ProblemResponse(invalid_request(errors), request_id_of(request.scope))

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> ProblemResponse:
        log_refusal(exc, method=request.method, path=request.url.path)
        return ProblemResponse(exc.problem(), request_id_of(request.scope), exc.headers)
