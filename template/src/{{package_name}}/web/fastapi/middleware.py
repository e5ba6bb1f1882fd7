"""ASGI middleware wrapping every request: trusted proxies, request ids, access logs,
security headers, CORS, query and body limits. Each one answers its refusals as problems,
like the routes do."""

import asyncio
import re
import time
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from urllib.parse import parse_qsl
from weakref import WeakKeyDictionary

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...core.client_address import Network, client_address, is_trusted
from ...core.errors import FieldError, Problem, internal_error, invalid_request, payload_too_large
from ...core.request_context import request_scope
from .problems import ProblemResponse, request_id_of

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is reused only if it cannot smuggle anything into logs or headers.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    ),
    "Cache-Control": "no-store",
}
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

logger = structlog.get_logger(__name__)


def _request_id(scope: Scope) -> str:
    incoming = Headers(scope=scope).get(REQUEST_ID_HEADER)
    if incoming is not None and _SAFE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return str(uuid.uuid4())


class RequestContextMiddleware:
    """Give each request an id, log it once it is answered, and turn crashes into a 500 problem.

    Wraps everything but the security headers, so every response (errors included) carries
    the X-Request-ID header, and every line logged during the request its id, user and tenant.
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

        with request_scope(request_id) as context:
            try:
                await self.app(scope, receive, send_with_request_id)
            except Exception as exc:
                # The trace goes to the log; the response shows it only in development.
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
                    user=context.user,
                    tenant=context.tenant,
                )


class SecurityHeadersMiddleware:
    """Put the security headers on every response, errors and CORS answers included.

    `page_policies` gives the few HTML pages (the docs) their own content security policy;
    everything else is JSON and gets one that allows nothing. HSTS goes on HTTPS responses,
    including those a trusted proxy says it received over HTTPS.
    """

    def __init__(self, app: ASGIApp, *, page_policies: Mapping[str, str]) -> None:
        self.app = app
        self.page_policies = dict(page_policies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        policy = self.page_policies.get(scope["path"], API_CONTENT_SECURITY_POLICY)
        over_https = scope.get("scheme") == "https"

        async def send_with_security_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.update(SECURITY_HEADERS)
                headers["Content-Security-Policy"] = policy
                if over_https:
                    headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
            await send(message)

        await self.app(scope, receive, send_with_security_headers)


class ProblemCORSMiddleware(CORSMiddleware):
    """Starlette's CORS handling, with refused preflight requests answered as problems.

    Only exactly configured origins are echoed (with `Vary: Origin`); credentials are never
    allowed, so no response pairs them with `*`.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "OPTIONS":
            await super().__call__(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if "origin" not in headers or "access-control-request-method" not in headers:
            await super().__call__(scope, receive, send)
            return
        response = self.preflight_response(request_headers=headers)
        if response.status_code >= HTTPStatus.BAD_REQUEST:
            detail = "The cross-origin request is not allowed."
            problem = Problem(status=HTTPStatus.BAD_REQUEST, detail=detail)
            response = ProblemResponse(problem, request_id_of(scope))
        await response(scope, receive, send)


class RepeatedQueryMiddleware:
    """Refuse a query string that repeats a parameter, with 422.

    Frameworks silently keep the first or the last of `?limit=5&limit=500`; a proxy or a cache
    in front of the service may pick the other, so the request is ambiguous.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"")
        if scope["type"] != "http" or not query:
            await self.app(scope, receive, send)
            return
        names = Counter(
            name for name, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        )
        repeated = sorted(name for name, count in names.items() if count > 1)
        if not repeated:
            await self.app(scope, receive, send)
            return
        errors = tuple(FieldError(("query", name), "must not be repeated") for name in repeated)
        await ProblemResponse(invalid_request(errors), request_id_of(scope))(scope, receive, send)


class BodySizeLimitMiddleware:
    """Refuse request bodies over the limit with 413, declared or streamed (chunked).

    `path_limits` gives the few upload routes (paths matching a pattern) their own limit.
    """

    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, path_limits: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.path_limits = [
            (re.compile(pattern), limit) for pattern, limit in (path_limits or {}).items()
        ]

    def _limit_for(self, path: str) -> int:
        for pattern, limit in self.path_limits:
            if pattern.fullmatch(path):
                return limit
        return self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope["path"])

        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if declared.isdigit() and int(declared) > limit:
                await self._refuse(limit, scope, receive, send)
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
            if size > limit:
                await self._refuse(limit, scope, receive, send)
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

    async def _refuse(self, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        problem = payload_too_large(limit)
        await ProblemResponse(problem, request_id_of(scope))(scope, receive, send)


class TrustedProxyMiddleware:
    """Take the client address and scheme from forwarding headers sent by a trusted proxy.

    The address is the core's `client_address` (the rightmost one not a trusted proxy); the
    scheme, which decides HSTS, is the last X-Forwarded-Proto. From any other peer the
    headers are ignored, so a client cannot pick the address its rate limit is counted on.
    """

    def __init__(self, app: ASGIApp, *, trusted: Sequence[Network]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if scope["type"] == "http" and peer is not None and is_trusted(peer[0], self.trusted):
            headers = Headers(scope=scope)
            address = client_address(
                peer[0],
                self.trusted,
                x_forwarded_for=headers.getlist("x-forwarded-for"),
                forwarded=headers.getlist("forwarded"),
            )
            scope["client"] = (address, 0)
            proto = headers.get("x-forwarded-proto", "").rpartition(",")[2].strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto
        await self.app(scope, receive, send)


class AdmissionMiddleware:
    """Admit at most `limit` requests at a time; the others wait their turn, holding nothing.

    Routes run on worker threads and keep their database connection until the response is
    serialised, which takes a worker thread again. With no bound, requests holding every
    pooled connection can wait for threads held by requests waiting for a connection, and
    the service stalls until the pool times out. Admitting no more requests than there are
    connections rules that out.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        # One semaphore per event loop: asyncio primitives belong to the loop that uses them.
        self._slots: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            WeakKeyDictionary()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        slots = self._slots.setdefault(loop, asyncio.Semaphore(self.limit))
        async with slots:
            await self.app(scope, receive, send)
