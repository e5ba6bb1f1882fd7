"""Authentication and authorization for FastAPI routes.

Every route declares one `Policy` through a dependency made here: `Security.requires`
(authenticate, then check the policy), `Security.public_session` or `public` (no
credential). Each declaration also counts the request against the rate limit: per
principal once authenticated, per client address otherwise. `declared_policies` reads the
declarations back, so a test can prove that no route was left without one.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import fastapi.routing
from fastapi import FastAPI, Request, params
from fastapi.dependencies.models import Dependant
from sqlalchemy.orm import Session

from ...core.authorization import Policy, Principal
from ...core.database import SessionFactory
from ...core.errors import AuthenticationError, PermissionDeniedError
from ...core.repositories import enter_tenant_context
from ...core.request_context import bind_principal
from ...core.security.credentials import Credential
from ...core.security.mode import CREDENTIAL_HEADER, Authenticator
from ...core.tenancy import ALL_TENANTS, TenantContext
from .rate_limit import limit_anonymous, limit_principal


@dataclass(frozen=True)
class RequestContext:
    """What an authenticated route works with: a database session and the caller."""

    db: Session
    principal: Principal


class Declaration:
    """A dependency that states the policy of the routes using it."""

    policy: Policy


class Public(Declaration):
    policy = Policy.PUBLIC

    def __call__(self, request: Request) -> None:
        """No credential to check: the route is public by declaration, limited per address."""
        limit_anonymous(request)


class PublicSession(Declaration):
    """A public route that needs the database (login, refresh)."""

    policy = Policy.PUBLIC

    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    def __call__(self, request: Request) -> Iterator[Session]:
        limit_anonymous(request)
        with self.sessions() as db:
            # Credentials are looked up before anyone's tenant is known.
            enter_tenant_context(db, ALL_TENANTS)
            yield db


class Guarded(Declaration):
    """Authenticate the caller, then let the policy decide: 401 first, then 403."""

    def __init__(
        self, policy: Policy, authenticator: Authenticator, sessions: SessionFactory
    ) -> None:
        self.policy = policy
        self.authenticator = authenticator
        self.sessions = sessions

    def __call__(self, request: Request) -> Iterator[RequestContext]:
        credential = Credential(
            header=request.headers.get(CREDENTIAL_HEADER),
            query_names=frozenset(request.query_params.keys()),
        )
        with self.sessions() as db:
            enter_tenant_context(db, ALL_TENANTS)
            try:
                principal = self.authenticator.authenticate(db, credential)
            except AuthenticationError:
                # Bad credentials count against the address, so guessing them is limited too.
                limit_anonymous(request)
                raise
            # From here on, every log line of the request names the caller.
            bind_principal(principal.user_id, principal.tenant_id)
            limit_principal(request, principal)
            if not self.policy.allows(principal):
                # Logged as `authorization_denied` with the other 403s, by the problem handler.
                raise PermissionDeniedError("You are not allowed to do this.")
            # The tenant comes from the credential alone; the route's work is held to it.
            enter_tenant_context(db, TenantContext.of(principal))
            yield RequestContext(db=db, principal=principal)


class Security:
    """The dependencies of one app, bound to its authenticator and database."""

    def __init__(self, authenticator: Authenticator, sessions: SessionFactory) -> None:
        self.authenticator = authenticator
        self.sessions = sessions

    def requires(self, policy: Policy) -> params.Depends:
        return params.Depends(Guarded(policy, self.authenticator, self.sessions))

    def public_session(self) -> params.Depends:
        return params.Depends(PublicSession(self.sessions))


def public() -> params.Depends:
    return params.Depends(Public())


def _declarations(dependant: Dependant) -> list[Declaration]:
    found: list[Declaration] = []
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Declaration):
            found.append(dependency.call)
        found += _declarations(dependency)
    return found


def _routes(app: FastAPI) -> list[Any]:
    """The app's routes, flat, whether this FastAPI version nests included routers or not."""
    iterate = getattr(fastapi.routing, "iter_route_contexts", None)
    return list(app.routes if iterate is None else iterate(app.routes))


def declared_policies(app: FastAPI) -> dict[tuple[str, str], list[Policy]]:
    """Every (method, path) of the app's API routes, with the policies it declares."""
    policies: dict[tuple[str, str], list[Policy]] = {}
    for route in _routes(app):
        dependant = getattr(route, "dependant", None)
        if isinstance(dependant, Dependant):
            declared = [declaration.policy for declaration in _declarations(dependant)]
            for method in route.methods or ():
                policies[(method, route.path)] = declared
    return policies
