"""The core's admission sequence as Litestar guards and dependencies.

Every route declares one `Policy` through an object made here: `Security.requires` (a
dependency named `context`: authenticate, then check the policy), `Security.public_session`
(a dependency named `db`) or `Security.public` (a guard). The core's `Admission` decides;
these only hand it the request's credential and client address, in a worker thread as the
database is synchronous. `declared_policies` reads the declarations back, so a test can
prove that no route was left without one.
"""

from collections.abc import AsyncIterator
from typing import Any, Self, cast

from anyio import to_thread
from litestar import Litestar, Request
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.types import Guard
from sqlalchemy.orm import Session

from ...core.authorization import Policy
from ...core.database import SessionFactory
from ...core.http.admission import Admission, RequestContext
from ..asgi import (
    Declarations,
    GuardedRoute,
    admit_public,
    client_address,
    close_session,
    set_quota,
)
from ..asgi.types import Scope

AnyRequest = Request[Any, Any, Any]


# The dependencies routes ask for by name: `context` on guarded routes, `db` on public ones.
Context = NamedDependency[RequestContext]
Db = NamedDependency[Session]


def asgi_scope(connection: ASGIConnection[Any, Any, Any, Any]) -> Scope:
    """The connection's scope, as the shared edge (web/asgi) reads and writes it."""
    return cast(Scope, connection.scope)


class Declaration:
    """A guard or dependency that states the policy of the routes using it."""

    policy: Policy

    def __deepcopy__(self, _: dict[int, object]) -> Self:
        # Litestar copies the routers it registers; a declaration holds the app's database
        # and rate limiter, shared rather than copied.
        return self


class Public(Declaration):
    """A guard counting a public request or the liveness probe, asynchronous so that
    Litestar runs it on the event loop (see admit_public)."""

    policy = Policy.PUBLIC

    def __init__(self, admission: Admission, *, liveness: bool = False) -> None:
        self.admission = admission
        self.liveness = liveness

    async def __call__(
        self, connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
    ) -> None:
        await admit_public(
            self.admission,
            asgi_scope(connection),
            client_address(connection),
            liveness=self.liveness,
        )


class PublicSession(Declaration):
    """A public route that needs the database (login, refresh)."""

    policy = Policy.PUBLIC

    def __init__(self, admission: Admission, sessions: SessionFactory) -> None:
        self.admission = admission
        self.sessions = sessions

    async def __call__(self, request: AnyRequest) -> AsyncIterator[Session]:
        db = self.sessions()
        try:
            quota = await to_thread.run_sync(
                self.admission.public_session, db, client_address(request)
            )
            set_quota(asgi_scope(request), quota)
            yield db
        finally:
            # Litestar closes dependencies before it sends the response.
            await close_session(db)


class Guarded(GuardedRoute, Declaration):
    async def __call__(self, request: AnyRequest) -> AsyncIterator[RequestContext]:
        async with self.admitted(request, asgi_scope(request)) as context:
            yield context


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
