"""ASGI middleware wrapping every request: request ids, access logs, body size limits."""

import re
import time
import uuid

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.errors import internal_error, payload_too_large
from .problems import ProblemResponse, request_id_of

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is reused only if it cannot smuggle anything into logs or headers.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

logger = structlog.get_logger(__name__)


def _request_id(scope: Scope) -> str:
    incoming = Headers(scope=scope).get(REQUEST_ID_HEADER)
    if incoming is not None and _SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return str(uuid.uuid4())


class RequestContextMiddleware:
    """Give each request an id, log it once it is answered, and turn crashes into a 500 problem.

    Outermost, so that every response (errors included) carries the X-Request-ID header.
    """

    def __init__(self, app: ASGIApp, *, expose_errors: bool) -> None:
        self.app = app
        self.expose_errors = expose_errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started_at = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_request_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, request_id)
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_request_id)
            except Exception as exc:
                logger.exception("unhandled_exception")
                if response_started:
                    raise
                problem = internal_error(exc, expose=self.expose_errors)
                await ProblemResponse(problem, request_id)(scope, receive, send_with_request_id)
            finally:
                logger.info(
                    "request",
                    request_id=request_id,
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    duration_ms=round((time.perf_counter() - started_at) * 1000, 2),
                )


class BodySizeLimitMiddleware:
    """Refuse request bodies over the limit with 413, declared or streamed (chunked)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if declared.isdigit() and int(declared) > self.max_body_bytes:
                await self._refuse(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return

        # Without a declared length, read up to the limit before the application sees anything.
        chunks: list[bytes] = []
        size = 0
        more_body = True
        while more_body:
            message = await receive()
            if message["type"] != "http.request":
                return
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            more_body = message.get("more_body", False)

        body_delivered = False

        async def replay_body() -> Message:
            nonlocal body_delivered
            if body_delivered:
                return await receive()
            body_delivered = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay_body, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = payload_too_large(self.max_body_bytes)
        await ProblemResponse(problem, request_id_of(scope))(scope, receive, send)
