"""Raw ASGI headers and problem responses, without a framework's request objects."""

import json
from collections.abc import Mapping

from ...core.errors import PROBLEM_CONTENT_TYPE, Problem
from .types import Message, Scope, Send

RawHeaders = list[tuple[bytes, bytes]]


def header(scope: Scope, name: str) -> str | None:
    """The first value of a request header (names compare case-insensitively)."""
    wanted = name.lower().encode("latin-1")
    for key, value in scope.get("headers", ()):
        if key == wanted:
            return bytes(value).decode("latin-1")
    return None


def header_values(scope: Scope, name: str) -> list[str]:
    wanted = name.lower().encode("latin-1")
    return [bytes(value).decode("latin-1") for key, value in scope["headers"] if key == wanted]


def set_headers(message: Message, values: Mapping[str, str], *, replace: bool = True) -> None:
    """Set response headers on an `http.response.start` message; with `replace` false,
    headers the response already has are kept."""
    headers: RawHeaders = list(message.get("headers", ()))
    present = {key.lower() for key, _ in headers}
    for name, value in values.items():
        key = name.lower().encode("latin-1")
        if key in present:
            if not replace:
                continue
            headers = [(k, v) for k, v in headers if k.lower() != key]
        headers.append((key, value.encode("latin-1")))
    message["headers"] = headers


def append_header(message: Message, name: str, value: str) -> None:
    message["headers"] = [
        *message.get("headers", ()),
        (name.lower().encode("latin-1"), value.encode("latin-1")),
    ]


async def send_problem(
    send: Send, problem: Problem, request_id: str, headers: Mapping[str, str] | None = None
) -> None:
    """Answer with the problem as `application/problem+json` (the edge adds the request id
    and security headers as the response passes)."""
    body = json.dumps(
        problem.to_body(request_id), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode()
    raw: RawHeaders = [
        (b"content-type", PROBLEM_CONTENT_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    start: Message = {"type": "http.response.start", "status": problem.status, "headers": raw}
    set_headers(start, {**(headers or {})})
    await send(start)
    await send({"type": "http.response.body", "body": body})
