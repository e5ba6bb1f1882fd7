"""The core's admission sequence as Litestar guards and dependencies.

Every route declares one `Policy` through an object made here: `Security.requires` (a
dependency named `context`: authenticate, then check the policy), `Security.public_session`
(a dependency named `db`) or `Security.public` (a guard). The core's `Admission` decides;
these only hand it the request's credential and client address, in a worker thread as the
database is synchronous. `declared_policies` reads the declarations back, so a test can
prove that no route was left without one.
"""

from collections.abc import AsyncIterator
from typing import Any, TypedDict, cast

from litestar import Litestar, Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.types import Guard
from sqlalchemy.orm import Session

from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ..asgi import Declaration, Declarations, GuardedRoute, PublicRoute, PublicSessionRoute
from ..asgi.types import Scope

AnyRequest = Request[Any, Any, Any]


# The dependencies routes ask for by name: `context` on guarded routes, `db` on public ones.
Context = NamedDependency[RequestContext]
Db = NamedDependency[Session]


def asgi_scope(connection: ASGIConnection[Any, Any, Any, Any]) -> Scope:
    """The connection's scope, as the shared edge (web/asgi) reads and writes it."""
    return cast(Scope, connection.scope)


class Public(PublicRoute):
    """A guard, asynchronous so that Litestar runs it on the event loop."""

    async def __call__(
        self, connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
    ) -> None:
        await self.admit(connection, asgi_scope(connection))


class PublicSession(PublicSessionRoute):
    async def __call__(self, request: AnyRequest) -> AsyncIterator[Session]:
        async with self.opened(request, asgi_scope(request)) as db:
            yield db


class Guarded(GuardedRoute):
    async def __call__(self, request: AnyRequest) -> AsyncIterator[RequestContext]:
        async with self.admitted(request, asgi_scope(request)) as context:
            yield context


class RouteOptions(TypedDict):
    status_code: int
    sync_to_thread: bool
    dependencies: dict[str, Provide] | None
    opt: dict[str, object]


def synchronous(
    status: int, dependencies: dict[str, Provide] | None = None, **documented: object
) -> RouteOptions:
    """The options of a route run in a worker thread, as the database is synchronous:
    answering `status`, admitted by `dependencies` (else by its router's); `documented`
    names the body, query and refusals that docs.py writes into the OpenAPI document."""
    return RouteOptions(
        status_code=status, sync_to_thread=True, dependencies=dependencies, opt=documented
    )


class Security(Declarations):
    """The declarations of one app, bound to its admission and database."""

    def requires(self, policy: Policy) -> dict[str, Provide]:
        return {"context": Provide(Guarded(policy, self.admission, self.sessions))}

    def public(self) -> list[Guard]:
        return [Public(self.admission)]

    def liveness(self) -> list[Guard]:
        return [Public(self.admission, liveness=True)]

    def public_session(self) -> dict[str, Provide]:
        return {"db": Provide(PublicSession(self.admission, self.sessions))}


def declarations(handler: HTTPRouteHandler) -> list[Declaration]:
    """The guards of the handler's layers, and the dependencies its signature asks for."""
    guards = [guard for layer in handler.ownership_layers for guard in layer.guards or ()]
    wanted = handler.parsed_fn_signature.parameters
    provided = [
        provide.dependency
        for name, provide in handler.resolve_dependencies().items()
        if name in wanted
    ]
    candidates: list[object] = [*guards, *provided]
    return [found for found in candidates if isinstance(found, Declaration)]


def declared_policies(app: Litestar) -> dict[tuple[str, str], list[Policy]]:
    """Every (method, path) of the app's API routes, with the policies it declares (the
    framework's own OPTIONS answers and the docs are outside the API and its schema)."""
    policies: dict[tuple[str, str], list[Policy]] = {}
    for route in app.routes:
        handlers = route.route_handlers if isinstance(route, HTTPRoute) else []
        for handler in filter(HTTPRouteHandler.resolve_include_in_schema, handlers):
            declared = [declaration.policy for declaration in declarations(handler)]
            for method in handler.http_methods:
                policies[(method, route.path_format)] = declared
    return policies
