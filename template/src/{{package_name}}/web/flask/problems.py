"""Answer every error as an RFC 9457 problem, as the core decides it, and read requests
through the core's pydantic models (the one place a 415 or 422 is made)."""

import json
from collections.abc import Mapping
from typing import TypeVar

from flask import Flask, Response, request
from pydantic import BaseModel
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException

from ...core.errors import PROBLEM_CONTENT_TYPE, Problem, ServiceError
from ...core.http.problems import framework_refusal, log_refusal
from ...core.http.request_input import json_document, missing, validated
from ..wsgi.edge import request_id_of

Model = TypeVar("Model", bound=BaseModel)


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


def query(model: type[Model]) -> Model:
    return validated(model, request.args.to_dict(), "query")


def json_body(model: type[Model], *, required: bool = True) -> Model | None:
    """The JSON body as `model`: 415 for a body of another type, 422 for an invalid one."""
    document = json_document(request.get_data(cache=False), request.headers)
    if document is None:
        if required:
            raise missing("body")
        return None
    return validated(model, document.value, "body")


def uploaded_file(field: str) -> FileStorage:
    """The multipart file field `field` (the core judges its content)."""
    file = request.files.get(field)
    if file is None:
        raise missing("body", field)
    return file


def install_problem_handlers(app: Flask) -> None:
    def http_error(exc: HTTPException) -> Response:
        # The framework's own 404, 405 (with its Allow header), 413 and 415.
        headers = {name: value for name, value in exc.get_headers() if name != "Content-Type"}
        return problem_response(framework_refusal(exc.code or 500), headers)

    def service_error(exc: ServiceError) -> Response:
        log_refusal(exc, method=request.method, path=request.path)
        return problem_response(exc.problem(), exc.headers)

    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(ServiceError, service_error)
