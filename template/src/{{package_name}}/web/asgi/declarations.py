"""How a route of either ASGI framework declares its policy and is admitted: the shared
half of each adapter's declarations (the adapter's half only hands over its request).

A database session is opened and admitted in one worker-thread hop and closed inline
where that waits on no network (core/dialects/)."""

from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractContextManager, asynccontextmanager
from typing import Any, Protocol, Self

from anyio import to_thread
from sqlalchemy.orm import Session

from ...core.authorization import Policy, Principal
from ...core.choices import dialect
from ...core.database import SessionFactory
from ...core.http.admission import Admission, RequestContext
from ...core.security.credentials import Credential
from ...core.security.mode import CREDENTIAL_HEADER
from .edge import admit_public, set_quota
from .types import Scope


async def close_session(db: Session) -> None:
    """Close `db` inline on a local database, else in a worker thread."""
    if dialect.CLOSE_WAITS_ON_NETWORK:
        await to_thread.run_sync(db.close)
    else:
        db.close()


class Connection(Protocol):
    """Any ASGI framework's request: it keeps the ASGI scope."""

    @property
    def scope(self) -> Mapping[str, Any]: ...


def client_address(connection: Connection) -> str:
    """The client's address, already resolved through trusted proxies by the edge."""
    client = connection.scope.get("client")
    return str(client[0]) if client else "unknown"


class HttpRequest(Connection, Protocol):
    """What admission reads of any ASGI framework's request."""

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def query_params(self) -> Mapping[str, str]: ...


class Declaration:
    """What a route's guard or dependency states: its policy, read back by the adapter's
    `declared_policies` so that a test proves that no route was left without one."""

    policy: Policy

    def __deepcopy__(self, _: dict[int, object]) -> Self:
        # Frameworks copy the routers they register (Litestar does); a declaration holds
        # the app's database and rate limiter, shared rather than copied.
        return self


class PublicRoute(Declaration):
    """A public request or the liveness probe, counted per client address (see
    admit_public: on the event loop while the counters are in memory)."""

    policy = Policy.PUBLIC

    def __init__(self, admission: Admission, *, liveness: bool = False) -> None:
        self.admission = admission
        self.liveness = liveness

    async def admit(self, request: Connection, scope: Scope) -> None:
        await admit_public(self.admission, scope, client_address(request), liveness=self.liveness)


class PublicSessionRoute(Declaration):
    """A public route that needs the database (login, refresh)."""

    policy = Policy.PUBLIC

    def __init__(self, admission: Admission, sessions: SessionFactory) -> None:
        self.admission = admission
        self.sessions = sessions

    @asynccontextmanager
    async def opened(self, request: Connection, scope: Scope) -> AsyncIterator[Session]:
        """The session, the request counted in one worker-thread hop; closed before the
        response is sent, as the frameworks close dependencies."""
        db = self.sessions()
        try:
            quota = await to_thread.run_sync(
                self.admission.public_session, db, client_address(request)
            )
            set_quota(scope, quota)
            yield db
        finally:
            await close_session(db)


class GuardedRoute(Declaration):
    """The admission of a guarded route, for every ASGI framework's declaration."""

    def __init__(self, policy: Policy, admission: Admission, sessions: SessionFactory) -> None:
        self.policy = policy
        self.admission = admission
        self.sessions = sessions

    @asynccontextmanager
    async def admitted(self, request: HttpRequest, scope: Scope) -> AsyncIterator[RequestContext]:
        """The request admitted under the policy in one worker-thread hop (a sync
        dependency would take one to enter and one to exit, besides the route's own)."""
        credential = Credential(
            header=request.headers.get(CREDENTIAL_HEADER),
            query_names=frozenset(request.query_params.keys()),
        )
        db = self.sessions()
        try:
            principal, quota = await to_thread.run_sync(
                self.admission.guarded, db, credential, self.policy, client_address(request)
            )
            set_quota(scope, quota)
            yield RequestContext(db=db, principal=principal)
        finally:
            await close_session(db)


class Declarations:
    """What the declarations of one ASGI app share: its admission and database."""

    def __init__(self, admission: Admission, sessions: SessionFactory) -> None:
        self.admission = admission
        self.sessions = sessions

    def credential_attempt(
        self, request: Connection, *, email: str | None = None, principal: Principal | None = None
    ) -> AbstractContextManager[None]:
        """Count a failed attempt against the client's address and the account."""
        return self.admission.credential_attempt(
            client_address(request), email=email, principal=principal
        )
