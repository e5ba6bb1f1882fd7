"""Raw ASGI middleware for each layer of the core's edge (core/http/edge.py), in its order.

Each layer applies a rule of the core and answers its refusals as problems, like the
routes do. `build_edge` wraps an ASGI application in all of them.
"""

import asyncio
import time
from functools import cached_property
from weakref import WeakKeyDictionary

import structlog
from anyio import to_thread

from ...core.client_address import client_address, is_trusted
from ...core.errors import Problem, internal_error, payload_too_large
from ...core.http.admission import Admission as CoreAdmission
from ...core.http.cors import REFUSED_DETAIL
from ...core.http.edge import Edge, EdgeLayers
from ...core.http.headers import REQUEST_ID_HEADER, request_id, security_headers
from ...core.http.limits import (
    body_limit,
    declared_length_exceeds,
    oversized_headers,
    repeated_query,
)
from ...core.http.routes import Answer, RouteTable
from ...core.rate_limit import Quota
from ...core.request_context import request_scope
from .messages import append_header, header, header_values, send_problem, set_headers
from .types import ASGIApp, Message, Receive, Scope, Send

logger = structlog.get_logger(__name__)

_REQUEST_ID = "request_id"
_QUOTA = "rate_limit_quota"


def request_id_of(scope: Scope) -> str:
    """The id the request context gave this request."""
    return str(scope["state"][_REQUEST_ID])


def set_quota(scope: Scope, quota: Quota) -> None:
    """Record where the caller stands in its rate limit, for the RateLimit-* headers."""
    scope.setdefault("state", {})[_QUOTA] = quota


async def admit_public(
    admission: CoreAdmission, scope: Scope, address: str, *, liveness: bool = False
) -> None:
    """Count a public request, or the liveness probe (answered while the counters cannot be
    read), and record its quota: inline when the limiter keeps its counters in memory (no
    thread-pool hop for /health), in a worker thread when it asks Redis."""
    count = admission.liveness if liveness else admission.public
    if admission.public_waits_on_io:
        quota = await to_thread.run_sync(count, address)
    else:
        quota = count(address)
    if quota is not None:
        set_quota(scope, quota)


def quota_of(scope: Scope) -> Quota | None:
    quota: Quota | None = scope.get("state", {}).get(_QUOTA)
    return quota


LAYERS: EdgeLayers[ASGIApp] = EdgeLayers()


def _is_http(scope: Scope) -> bool:
    return bool(scope["type"] == "http")


@LAYERS.layer("trusted_proxies")
class TrustedProxies:
    """The client address and scheme from a trusted proxy's forwarding headers.

    The address is the core's `client_address` (the rightmost one not a trusted proxy);
    the scheme, which decides HSTS, is the last X-Forwarded-Proto. From any other peer the
    headers are ignored.
    """

    def __init__(self, app: ASGIApp, edge: Edge) -> None:
        self.app = app
        self.trusted = tuple(edge.trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        peer = scope.get("client")
        if self.trusted and _is_http(scope) and peer and is_trusted(peer[0], self.trusted):
            address = client_address(
                peer[0],
                self.trusted,
                x_forwarded_for=header_values(scope, "x-forwarded-for"),
                forwarded=header_values(scope, "forwarded"),
            )
            scope["client"] = (address, 0)
            proto = (header(scope, "x-forwarded-proto") or "").rpartition(",")[2].strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto
        await self.app(scope, receive, send)


@LAYERS.layer("security_headers")
class SecurityHeaders:
    def __init__(self, app: ASGIApp, edge: Edge) -> None:
        self.app = app
        self.page_policies = edge.page_policies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_http(scope):
            await self.app(scope, receive, send)
            return
        headers = security_headers(
            scope["path"],
            over_https=scope.get("scheme") == "https",
            page_policies=self.page_policies,
        )

        async def send_with_security_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                set_headers(message, headers)
            await send(message)

        await self.app(scope, receive, send_with_security_headers)


@LAYERS.layer("request_context")
class RequestContext:
    """Give each request an id, log it once it is answered, and turn crashes into a 500
    problem: every response (errors included) carries X-Request-ID, and every line logged
    during the request its id, user and tenant."""

    def __init__(self, app: ASGIApp, edge: Edge) -> None:
        self.app = app
        self.expose_errors = edge.expose_errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_http(scope):
            await self.app(scope, receive, send)
            return
        the_id = request_id(header(scope, REQUEST_ID_HEADER))
        scope.setdefault("state", {})[_REQUEST_ID] = the_id
        started_at = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_request_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                append_header(message, REQUEST_ID_HEADER, the_id)
            await send(message)

        with request_scope(the_id) as context:
            try:
                await self.app(scope, receive, send_with_request_id)
            except Exception as exc:
                # The trace goes to the log; the response shows it only in development.
                logger.exception("unhandled_exception")
                if response_started:
                    raise
                problem = internal_error(exc, expose=self.expose_errors)
                await send_problem(send_with_request_id, problem, the_id)
            finally:
                logger.info(
                    "request",
                    request_id=the_id,
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    duration_ms=round((time.perf_counter() - started_at) * 1000, 2),
                    user=context.user,
                    tenant=context.tenant,
                )


@LAYERS.layer("header_limit")
class HeaderLimit:
    def __init__(self, app: ASGIApp, _edge: Edge) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        sizes = (len(name) + len(value) for name, value in scope.get("headers", ()))
        problem = oversized_headers(sizes) if _is_http(scope) else None
        if problem is None:
            await self.app(scope, receive, send)
            return
        await send_problem(send, problem, request_id_of(scope))


@LAYERS.layer("cors")
class Cors:
    def __init__(self, app: ASGIApp, edge: Edge) -> None:
        self.app = app
        self.policy = edge.cors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = header(scope, "origin") if _is_http(scope) else None
        if origin is None:
            await self.app(scope, receive, send)
            return
        requested_method = header(scope, "access-control-request-method")
        if scope["method"] == "OPTIONS" and requested_method is not None:
            await self._preflight(scope, send, origin, requested_method)
            return
        headers = self.policy.response_headers(origin)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                set_headers(message, headers)
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, scope: Scope, send: Send, origin: str, method: str) -> None:
        answer = self.policy.preflight(
            origin, method, header(scope, "access-control-request-headers")
        )
        if not answer.allowed:
            problem = Problem(status=400, detail=REFUSED_DETAIL)
            await send_problem(send, problem, request_id_of(scope), answer.headers)
            return
        start: Message = {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", b"0")],
        }
        set_headers(start, answer.headers)
        await send(start)
        await send({"type": "http.response.body", "body": b""})


@LAYERS.layer("routes")
class Routes:
    """Answer what the route table decides (core/http/routes.py) before the framework
    routes the request: 404, 405 and OPTIONS with Allow, HEAD as GET without the body."""

    def __init__(self, app: ASGIApp, edge: Edge) -> None:
        self.app = app
        self.routes = edge.routes

    @cached_property
    def table(self) -> RouteTable:
        return RouteTable(self.routes())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_http(scope):
            await self.app(scope, receive, send)
            return
        decision = self.table.decide(scope["method"], scope["path"])
        if decision.answer is Answer.ROUTE:
            await self.app(scope, receive, send)
        elif decision.answer is Answer.ROUTE_WITHOUT_BODY:

            async def send_without_body(message: Message) -> None:
                if message["type"] == "http.response.body":
                    message = {**message, "body": b""}
                await send(message)

            await self.app({**scope, "method": "GET"}, receive, send_without_body)
        elif decision.answer is Answer.ALLOWED_METHODS:
            start: Message = {"type": "http.response.start", "status": 204, "headers": []}
            set_headers(start, decision.headers)
            await send(start)
            await send({"type": "http.response.body", "body": b""})
        else:
            await send_problem(send, decision.problem(), request_id_of(scope), decision.headers)


@LAYERS.layer("repeated_query")
class RepeatedQuery:
    def __init__(self, app: ASGIApp, _edge: Edge) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"") if _is_http(scope) else b""
        problem = repeated_query(query.decode("latin-1")) if query else None
        if problem is None:
            await self.app(scope, receive, send)
            return
        await send_problem(send, problem, request_id_of(scope))


@LAYERS.layer("body_limit")
class BodyLimit:
    """Refuse request bodies over their limit with 413, declared or streamed (chunked)."""

    def __init__(self, app: ASGIApp, edge: Edge) -> None:
        self.app = app
        self.max_body_bytes = edge.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_http(scope):
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"], self.max_body_bytes)
        declared = header(scope, "content-length")
        if declared is not None:
            if declared_length_exceeds(declared, limit):
                await send_problem(send, payload_too_large(limit), request_id_of(scope))
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
                await send_problem(send, payload_too_large(limit), request_id_of(scope))
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


@LAYERS.layer("rate_limit_headers")
class RateLimitHeaders:
    """Put the RateLimit-* headers of the request's quota on its response; headers already
    set (those of a 429) are kept, as they describe the limit that refused."""

    def __init__(self, app: ASGIApp, _edge: Edge) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_http(scope):
            await self.app(scope, receive, send)
            return

        async def send_with_quota(message: Message) -> None:
            quota = quota_of(scope)
            if message["type"] == "http.response.start" and quota is not None:
                set_headers(message, quota.headers(), replace=False)
            await send(message)

        await self.app(scope, receive, send_with_quota)


@LAYERS.layer("admission")
class Admission:
    """Admit at most `max_connections` requests at a time; the others wait their turn,
    holding nothing (see core/database.py for why)."""

    def __init__(self, app: ASGIApp, edge: Edge) -> None:
        self.app = app
        self.limit = edge.max_connections
        # One semaphore per event loop: asyncio primitives belong to the loop that uses them.
        self._slots: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            WeakKeyDictionary()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_http(scope):
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        slots = self._slots.setdefault(loop, asyncio.Semaphore(self.limit))
        async with slots:
            await self.app(scope, receive, send)


build_edge = LAYERS.build
