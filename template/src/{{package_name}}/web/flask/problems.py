"""Answer every error as an RFC 9457 problem, as the core decides it, and read requests
through the core's pydantic models (the one place a 415 or 422 is made)."""

import json
import uuid
from collections.abc import Callable, Mapping
from typing import TypeVar

from flask import Flask, Response, request
from pydantic import BaseModel, TypeAdapter, ValidationError
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException

from ...core.errors import (
    PROBLEM_CONTENT_TYPE,
    FieldError,
    Problem,
    ServiceError,
    invalid_request,
    unsupported_media_type,
)
from ...core.http.problems import json_body_sent_as_another_type, log_refusal
from .edge import request_id_of

T = TypeVar("T")
Model = TypeVar("Model", bound=BaseModel)
_UUID: TypeAdapter[uuid.UUID] = TypeAdapter(uuid.UUID)
_FIELD_REQUIRED = "Field required"


class RequestRefusedError(Exception):
    """A request refused before its route's work: invalid input, a body of the wrong type."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


def json_response(
    payload: object, status: int = 200, content_type: str = "application/json"
) -> Response:
    body = json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body, status=status, content_type=content_type)


def problem_response(problem: Problem, headers: Mapping[str, str] | None = None) -> Response:
    response = json_response(
        problem.to_body(request_id_of(request.environ)), problem.status, PROBLEM_CONTENT_TYPE
    )
    response.headers.update(headers or {})
    return response


def validated(validate: Callable[[object], T], data: object, *where: str) -> T:
    """`data` validated; a 422 naming each invalid location (never its value) otherwise."""
    try:
        return validate(data)
    except ValidationError as error:
        errors = tuple(FieldError((*where, *e["loc"]), e["msg"]) for e in error.errors())
        raise RequestRefusedError(invalid_request(errors)) from None


def _missing(*loc: str) -> RequestRefusedError:
    return RequestRefusedError(invalid_request((FieldError(loc, _FIELD_REQUIRED),)))


def path_id(name: str, value: str) -> uuid.UUID:
    return validated(_UUID.validate_python, value, "path", name)


def query(model: type[Model]) -> Model:
    return validated(model.model_validate, request.args.to_dict(), "query")


def json_body(model: type[Model], *, required: bool = True) -> Model | None:
    """The JSON body as `model`: 415 for a body of another type, 422 for an invalid one."""
    chunked = "transfer-encoding" in request.headers
    length = request.headers.get("content-length")
    if json_body_sent_as_another_type(request.content_type, content_length=length, chunked=chunked):
        raise RequestRefusedError(unsupported_media_type("application/json"))
    raw = request.get_data(cache=False)
    if not raw:
        if required:
            raise _missing("body")
        return None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise RequestRefusedError(
            invalid_request((FieldError(("body", error.pos), "JSON decode error"),))
        ) from None
    except (ValueError, RecursionError):
        # Undecodable bytes, numbers too long to convert, nesting too deep.
        raise RequestRefusedError(
            Problem(status=400, detail="There was an error parsing the body")
        ) from None
    return validated(model.model_validate, data, "body")


def uploaded_file(field: str) -> FileStorage:
    """The multipart file field `field` (the core judges its content)."""
    file = request.files.get(field)
    if file is None:
        raise _missing("body", field)
    return file


def install_problem_handlers(app: Flask) -> None:
    def http_error(exc: HTTPException) -> Response:
        # The framework's own 404, 405 (with its Allow header), 413 and 415.
        status = exc.code or 500
        headers = {name: value for name, value in exc.get_headers() if name != "Content-Type"}
        return problem_response(Problem(status=status, detail=Problem(status, "").title), headers)

    def request_problem(exc: RequestRefusedError) -> Response:
        return problem_response(exc.problem)

    def service_error(exc: ServiceError) -> Response:
        log_refusal(exc, method=request.method, path=request.path)
        return problem_response(exc.problem(), exc.headers)

    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(RequestRefusedError, request_problem)
    app.register_error_handler(ServiceError, service_error)
