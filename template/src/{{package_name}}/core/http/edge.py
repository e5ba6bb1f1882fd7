"""The edge: the layers every request passes through before its route, outermost first,
and what it knows of the service's settings (`Edge`).

Each adapter builds its edge from this order, so every framework refuses, decorates and
logs requests the same way:

- `trusted_proxies`: the client address and scheme from forwarding headers, believed only
  from TRUSTED_PROXIES (so a client cannot pick the address it is limited on);
- `security_headers`: on every response, errors and CORS answers included;
- `request_context`: the request id, the access log line, and crashes turned into a 500
  problem, around everything that can refuse a request, so every answer has an id;
- `header_limit`: 431 for request headers over their limits (core/http/limits.py);
- `cors`: preflights answered, allowed origins echoed;
- `routes`: 404 for a path no route has, 405 and OPTIONS with the route's Allow list, HEAD
  answered by the GET route without its body (core/http/routes.py);
- `repeated_query`: 422 for an ambiguous query string;
- `body_limit`: 413 for a body over its limit, declared or streamed;
- `rate_limit_headers`: the RateLimit-* headers of the request's quota;
- `admission`: at most MAX_CONNECTIONS requests at a time, the others waiting their turn
  while holding nothing (see core/database.py).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..client_address import Network
from ..database import MAX_CONNECTIONS
from ..settings import Settings
from .cors import CorsPolicy
from .routes import Route

App = TypeVar("App")


EDGE_LAYERS = (
    "trusted_proxies",
    "security_headers",
    "request_context",
    "header_limit",
    "cors",
    "routes",
    "repeated_query",
    "body_limit",
    "rate_limit_headers",
    "admission",
)


@dataclass(frozen=True)
class Edge:
    """What the edge needs to know of the service's settings."""

    trusted_proxies: Sequence[Network]
    cors: CorsPolicy
    max_body_bytes: int
    max_connections: int
    expose_errors: bool
    page_policies: dict[str, str]
    # The app's routes, read at its first request, once every route is registered.
    routes: Callable[[], Iterable[Route]]

    @classmethod
    def of(
        cls,
        settings: Settings,
        page_policies: dict[str, str],
        routes: Callable[[], Iterable[Route]],
    ) -> "Edge":
        return cls(
            trusted_proxies=settings.trusted_proxies,
            cors=CorsPolicy(settings.cors_origins),
            max_body_bytes=settings.max_body_bytes,
            max_connections=MAX_CONNECTIONS,
            expose_errors=settings.is_development,
            page_policies=page_policies,
            routes=routes,
        )


Layer = TypeVar("Layer", bound=Callable[[Any, Edge], Any])


class EdgeLayers(Generic[App]):
    """The layers of one server interface (ASGI, WSGI), each registered under its name in
    EDGE_LAYERS, so the order is the core's and the interface only supplies the layers."""

    def __init__(self) -> None:
        self._layers: dict[str, Callable[[App, Edge], App]] = {}

    def layer(self, name: str) -> Callable[[Layer], Layer]:
        if name not in EDGE_LAYERS:
            raise ValueError(f"{name!r} is not a layer of the edge")

        def register(layer: Layer) -> Layer:
            self._layers[name] = layer
            return layer

        return register

    def build(self, app: App, edge: Edge) -> App:
        """`app` wrapped in every layer of the edge, the first of EDGE_LAYERS outermost."""
        missing = [name for name in EDGE_LAYERS if name not in self._layers]
        if missing:
            raise LookupError(f"the edge has no layer for {', '.join(missing)}")
        for name in reversed(EDGE_LAYERS):
            app = self._layers[name](app, edge)
        return app
