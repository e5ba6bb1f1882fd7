"""Request input read through the core's models, so that every framework refuses the same
input with the same problem: 415 for a JSON route sent another type, 422 naming each
invalid location (never its value, which could reflect secrets or markup), 400 for a body
no JSON parser can read."""

import json
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from ..errors import FieldError, Problem, ServiceError, invalid_request, unsupported_media_type
from .problems import RequestHeaders, json_body_sent_as_another_type

T = TypeVar("T")
_FIELD_REQUIRED = "Field required"


class InputRefusedError(ServiceError):
    """Input refused before any service sees it, with the problem the core decided."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.refusal = problem

    def problem(self) -> Problem:
        return self.refusal


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(kind: type[T]) -> TypeAdapter[T]:
    """The kind's validator, built once: building one costs more than validating."""
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def missing(*loc: str | int) -> InputRefusedError:
    return InputRefusedError(invalid_request((FieldError(loc=loc, msg=_FIELD_REQUIRED),)))


def validated(kind: type[T], value: object, *loc: str | int) -> T:
    """`value` as `kind`, or a 422 whose errors are located under `loc`."""
    try:
        parsed: T = _adapter(kind).validate_python(value)
    except ValidationError as error:
        errors = tuple(FieldError(loc=(*loc, *e["loc"]), msg=e["msg"]) for e in error.errors())
        raise InputRefusedError(invalid_request(errors)) from None
    return parsed


def path_id(name: str, value: str) -> uuid.UUID:
    return validated(uuid.UUID, value, "path", name)


@dataclass(frozen=True)
class JsonDocument:
    """A decoded JSON body. Its `value` may be None: JSON null is a body, not its absence."""

    value: object


def json_document(body: bytes, headers: RequestHeaders) -> JsonDocument | None:
    """The decoded JSON body, None when none came; 415 when it came as another type."""
    if json_body_sent_as_another_type(headers):
        raise InputRefusedError(unsupported_media_type("application/json"))
    if not body:
        return None
    try:
        document: object = json.loads(body)
    except json.JSONDecodeError as error:
        raise InputRefusedError(
            invalid_request((FieldError(("body", error.pos), "JSON decode error"),))
        ) from None
    except (ValueError, RecursionError):
        # Undecodable bytes, numbers too long to convert, nesting too deep.
        raise InputRefusedError(Problem(400, "There was an error parsing the body")) from None
    return JsonDocument(document)


def json_body(kind: type[T], body: bytes, headers: RequestHeaders) -> T:
    """The JSON body as `kind`; a missing body is a 422 like any missing field."""
    document = json_document(body, headers)
    if document is None:
        raise missing("body")
    return validated(kind, document.value, "body")
