"""WSGI middleware for each layer of the core's edge (core/http/edge.py), in its order.

The WSGI twin of web/asgi: each layer applies a rule of the core and answers its refusals
as problems, like the routes do. `build_edge` wraps a WSGI application in all of them.
"""

import io
import json
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING

import structlog

from ...core.client_address import client_address, is_trusted
from ...core.errors import PROBLEM_CONTENT_TYPE, Problem, internal_error, payload_too_large
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

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

logger = structlog.get_logger(__name__)

_REQUEST_ID = "service.request_id"
_QUOTA = "service.rate_limit_quota"
_READ_SIZE = 64 * 1024
# The header fields WSGI names without the HTTP_ prefix.
_UNPREFIXED_HEADERS = ("CONTENT_TYPE", "CONTENT_LENGTH")
Headers = list[tuple[str, str]]


def request_id_of(environ: "WSGIEnvironment") -> str:
    """The id the request context gave this request."""
    return str(environ[_REQUEST_ID])


def set_quota(environ: "WSGIEnvironment", quota: Quota) -> None:
    """Record where the caller stands in its rate limit, for the RateLimit-* headers."""
    environ[_QUOTA] = quota


def path_of(environ: "WSGIEnvironment") -> str:
    """The request's path as text (WSGI carries its bytes as latin-1)."""
    return str(environ.get("PATH_INFO", "")).encode("latin-1").decode("utf-8", "replace")


def with_headers(headers: Headers, values: Mapping[str, str], *, replace: bool = True) -> Headers:
    """`headers` with `values` set; with `replace` false, headers already there are kept."""
    present = {name.lower() for name, _ in headers}
    for name, value in values.items():
        if name.lower() in present:
            if not replace:
                continue
            headers = [(key, old) for key, old in headers if key.lower() != name.lower()]
        headers = [*headers, (name, value)]
    return headers


def answer_problem(
    start_response: "StartResponse",
    problem: Problem,
    request_id: str,
    headers: Mapping[str, str] | None = None,
    exc_info: "OptExcInfo | None" = None,
) -> list[bytes]:
    """Answer with the problem as `application/problem+json` (the outer layers add the
    request id and security headers as the response passes)."""
    body = json.dumps(
        problem.to_body(request_id), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode()
    raw = [("Content-Type", PROBLEM_CONTENT_TYPE), ("Content-Length", str(len(body)))]
    start_response(f"{problem.status} {problem.title}", with_headers(raw, headers or {}), exc_info)
    return [body]


def drained(body: Iterable[bytes]) -> list[bytes]:
    """The whole response body, its iterable closed as WSGI asks."""
    try:
        return list(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()


LAYERS: "EdgeLayers[WSGIApplication]" = EdgeLayers()


def decorated(
    start_response: "StartResponse", decorate: Callable[[Headers], Headers]
) -> "StartResponse":
    """`start_response` with the response's headers passed through `decorate`."""

    def start(
        status: str, headers: Headers, exc_info: "OptExcInfo | None" = None
    ) -> Callable[[bytes], object]:
        return start_response(status, decorate(list(headers)), exc_info)

    return start


@LAYERS.layer("trusted_proxies")
class TrustedProxies:
    """The client address and scheme from a trusted proxy's forwarding headers.

    The address is the core's `client_address` (the rightmost one not a trusted proxy);
    the scheme, which decides HSTS, is the last X-Forwarded-Proto. From any other peer the
    headers are ignored.
    """

    def __init__(self, app: "WSGIApplication", edge: Edge) -> None:
        self.app = app
        self.trusted = tuple(edge.trusted_proxies)

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        peer = environ.get("REMOTE_ADDR")
        if self.trusted and peer and is_trusted(peer, self.trusted):
            environ["REMOTE_ADDR"] = client_address(
                peer,
                self.trusted,
                x_forwarded_for=[environ.get("HTTP_X_FORWARDED_FOR", "")],
                forwarded=[environ.get("HTTP_FORWARDED", "")],
            )
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").rpartition(",")[2].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
        return self.app(environ, start_response)


@LAYERS.layer("security_headers")
class SecurityHeaders:
    def __init__(self, app: "WSGIApplication", edge: Edge) -> None:
        self.app = app
        self.page_policies = edge.page_policies

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        values = security_headers(
            path_of(environ),
            over_https=environ.get("wsgi.url_scheme") == "https",
            page_policies=self.page_policies,
        )
        return self.app(environ, decorated(start_response, lambda h: with_headers(h, values)))


@LAYERS.layer("request_context")
class RequestContext:
    """Give each request an id, log it once it is answered, and turn crashes into a 500
    problem: every response (errors included) carries X-Request-ID, and every line logged
    during the request its id, user and tenant."""

    def __init__(self, app: "WSGIApplication", edge: Edge) -> None:
        self.app = app
        self.expose_errors = edge.expose_errors

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        the_id = request_id(environ.get("HTTP_X_REQUEST_ID"))
        environ[_REQUEST_ID] = the_id
        started_at = time.perf_counter()
        status = 500
        started = False

        def start(
            status_line: str, headers: Headers, exc_info: "OptExcInfo | None" = None
        ) -> Callable[[bytes], object]:
            nonlocal status, started
            status, started = int(status_line.partition(" ")[0]), True
            return start_response(status_line, [*headers, (REQUEST_ID_HEADER, the_id)], exc_info)

        with request_scope(the_id) as context:
            try:
                # Read here, while the request's scope is open (WSGI bodies may be lazy).
                return drained(self.app(environ, start))
            except Exception as exc:
                # The trace goes to the log; the response shows it only in development.
                logger.exception("unhandled_exception")
                problem = internal_error(exc, expose=self.expose_errors)
                # Replacing a response already started needs the exception, as WSGI says.
                return answer_problem(
                    start, problem, the_id, exc_info=sys.exc_info() if started else None
                )
            finally:
                logger.info(
                    "request",
                    request_id=the_id,
                    method=environ["REQUEST_METHOD"],
                    path=path_of(environ),
                    status=status,
                    duration_ms=round((time.perf_counter() - started_at) * 1000, 2),
                    user=context.user,
                    tenant=context.tenant,
                )


def header_field_sizes(environ: "WSGIEnvironment") -> Iterator[int]:
    """The bytes of each request header's name and value, as WSGI holds them."""
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            yield len(key) - len("HTTP_") + len(value)
        elif key in _UNPREFIXED_HEADERS and value:
            yield len(key) + len(value)


@LAYERS.layer("header_limit")
class HeaderLimit:
    def __init__(self, app: "WSGIApplication", _edge: Edge) -> None:
        self.app = app

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        problem = oversized_headers(header_field_sizes(environ))
        if problem is None:
            return self.app(environ, start_response)
        return answer_problem(start_response, problem, request_id_of(environ))


@LAYERS.layer("cors")
class Cors:
    def __init__(self, app: "WSGIApplication", edge: Edge) -> None:
        self.app = app
        self.policy = edge.cors

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        origin = environ.get("HTTP_ORIGIN")
        if origin is None:
            return self.app(environ, start_response)
        requested_method = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
        if environ["REQUEST_METHOD"] == "OPTIONS" and requested_method is not None:
            answer = self.policy.preflight(
                origin, requested_method, environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
            )
            if not answer.allowed:
                problem = Problem(status=400, detail=REFUSED_DETAIL)
                return answer_problem(
                    start_response, problem, request_id_of(environ), answer.headers
                )
            start_response("200 OK", with_headers([("Content-Length", "0")], answer.headers))
            return [b""]
        values = self.policy.response_headers(origin)
        return self.app(environ, decorated(start_response, lambda h: with_headers(h, values)))


@LAYERS.layer("routes")
class Routes:
    """Answer what the route table decides (core/http/routes.py) before the framework
    routes the request: 404, 405 and OPTIONS with Allow, HEAD as GET without the body."""

    def __init__(self, app: "WSGIApplication", edge: Edge) -> None:
        self.app = app
        self.routes = edge.routes

    @cached_property
    def table(self) -> RouteTable:
        return RouteTable(self.routes())

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        decision = self.table.decide(environ["REQUEST_METHOD"], path_of(environ))
        if decision.answer is Answer.ROUTE:
            return self.app(environ, start_response)
        if decision.answer is Answer.ROUTE_WITHOUT_BODY:
            # A copy, so the request is still logged as the HEAD it is.
            drained(self.app({**environ, "REQUEST_METHOD": "GET"}, start_response))
            return []
        if decision.answer is Answer.ALLOWED_METHODS:
            start_response("204 No Content", list(decision.headers.items()))
            return []
        return answer_problem(
            start_response, decision.problem(), request_id_of(environ), decision.headers
        )


@LAYERS.layer("repeated_query")
class RepeatedQuery:
    def __init__(self, app: "WSGIApplication", _edge: Edge) -> None:
        self.app = app

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        problem = repeated_query(environ.get("QUERY_STRING", ""))
        if problem is None:
            return self.app(environ, start_response)
        return answer_problem(start_response, problem, request_id_of(environ))


@LAYERS.layer("body_limit")
class BodyLimit:
    """Refuse request bodies over their limit with 413, declared or streamed (chunked)."""

    def __init__(self, app: "WSGIApplication", edge: Edge) -> None:
        self.app = app
        self.max_body_bytes = edge.max_body_bytes

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        limit = body_limit(path_of(environ), self.max_body_bytes)
        declared = environ.get("CONTENT_LENGTH") or None
        too_large = declared_length_exceeds(declared, limit)
        if declared is None and not too_large:
            # Without a declared length, read up to the limit before the application sees
            # anything, and hand it the body as one of known length.
            body = self._read(environ["wsgi.input"], limit)
            too_large = body is None
            if body is not None:
                environ["wsgi.input"] = io.BytesIO(body)
                environ["CONTENT_LENGTH"] = str(len(body))
                environ.pop("HTTP_TRANSFER_ENCODING", None)
        if too_large:
            return answer_problem(start_response, payload_too_large(limit), request_id_of(environ))
        return self.app(environ, start_response)

    @staticmethod
    def _read(stream: io.BufferedReader, limit: int) -> bytes | None:
        """The stream's bytes, or None once there are more than `limit`."""
        chunks: list[bytes] = []
        size = 0
        while chunk := stream.read(min(_READ_SIZE, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return None
        return b"".join(chunks)


@LAYERS.layer("rate_limit_headers")
class RateLimitHeaders:
    """Put the RateLimit-* headers of the request's quota on its response; headers already
    set (those of a 429) are kept, as they describe the limit that refused."""

    def __init__(self, app: "WSGIApplication", _edge: Edge) -> None:
        self.app = app

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        def with_quota(headers: Headers) -> Headers:
            quota: Quota | None = environ.get(_QUOTA)
            return (
                headers if quota is None else with_headers(headers, quota.headers(), replace=False)
            )

        return self.app(environ, decorated(start_response, with_quota))


@LAYERS.layer("admission")
class Admission:
    """Admit at most `max_connections` requests at a time; the others wait their turn,
    holding nothing (see core/database.py for why)."""

    def __init__(self, app: "WSGIApplication", edge: Edge) -> None:
        self.app = app
        self.slots = threading.BoundedSemaphore(edge.max_connections)

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        with self.slots:
            return drained(self.app(environ, start_response))


build_edge = LAYERS.build
