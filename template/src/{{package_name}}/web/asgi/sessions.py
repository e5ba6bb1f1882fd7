"""The database session of an ASGI request: opened and admitted in one worker-thread hop,
closed inline where that waits on no network (core/dialects/)."""

from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractContextManager, asynccontextmanager
from typing import Any, Protocol

from anyio import to_thread
from sqlalchemy.orm import Session

from ...core.authorization import Policy, Principal
from ...core.choices import dialect
from ...core.database import SessionFactory
from ...core.http.admission import Admission, RequestContext
from ...core.security.credentials import Credential
from ...core.security.mode import CREDENTIAL_HEADER
from .edge import set_quota
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


class GuardedRoute:
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
