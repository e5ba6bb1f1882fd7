"""The core's admission sequence as FastAPI dependencies.

Every route declares one `Policy` through a dependency made here: `Security.requires`
(authenticate, then check the policy), `Security.public_session` or `Security.public` (no
credential). The core's `Admission` decides; these only hand it the request's credential
and client address. `declared_policies` reads the declarations back, so a test can prove
that no route was left without one.
"""

from collections.abc import AsyncIterator
from typing import Any

import fastapi.routing
from fastapi import FastAPI, Request, params
from fastapi.dependencies.models import Dependant
from sqlalchemy.orm import Session

from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ..asgi import Declaration, Declarations, GuardedRoute, PublicRoute, PublicSessionRoute


class Public(PublicRoute):
    async def __call__(self, request: Request) -> None:
        await self.admit(request, request.scope)


class PublicSession(PublicSessionRoute):
    async def __call__(self, request: Request) -> AsyncIterator[Session]:
        async with self.opened(request, request.scope) as db:
            yield db


class Guarded(GuardedRoute):
    async def __call__(self, request: Request) -> AsyncIterator[RequestContext]:
        async with self.admitted(request, request.scope) as context:
            yield context


class Security(Declarations):
    """The dependencies of one app, bound to its admission and database."""

    def requires(self, policy: Policy) -> params.Depends:
        return params.Depends(Guarded(policy, self.admission, self.sessions))

    def public(self) -> params.Depends:
        return params.Depends(Public(self.admission))

    def liveness(self) -> params.Depends:
        return params.Depends(Public(self.admission, liveness=True))

    def public_session(self) -> params.Depends:
        return params.Depends(PublicSession(self.admission, self.sessions))


def declarations(dependant: Dependant) -> list[Declaration]:
    """The declarations a route depends on, however deep."""
    found: list[Declaration] = []
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Declaration):
            found.append(dependency.call)
        found += declarations(dependency)
    return found


def flat_routes(app: FastAPI) -> list[Any]:
    """The app's routes, flat, whether this FastAPI version nests included routers or not."""
    iterate = getattr(fastapi.routing, "iter_route_contexts", None)
    return list(app.routes if iterate is None else iterate(app.routes))


def declared_policies(app: FastAPI) -> dict[tuple[str, str], list[Policy]]:
    """Every (method, path) of the app's API routes, with the policies it declares."""
    policies: dict[tuple[str, str], list[Policy]] = {}
    for route in flat_routes(app):
        dependant = getattr(route, "dependant", None)
        if isinstance(dependant, Dependant):
            declared = [declaration.policy for declaration in declarations(dependant)]
            for method in route.methods or ():
                policies[(method, route.path)] = declared
    return policies
