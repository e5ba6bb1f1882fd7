"""The database session of an ASGI request: opened and admitted in one worker-thread hop,
closed inline where that waits on no network (core/dialects/)."""

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Protocol

from anyio import to_thread
from sqlalchemy.orm import Session

from ...core.authorization import Policy
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


class HttpRequest(Protocol):
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
    async def admitted(
        self, request: HttpRequest, scope: Scope, address: str
    ) -> AsyncIterator[RequestContext]:
        """The request admitted under the policy in one worker-thread hop (a sync
        dependency would take one to enter and one to exit, besides the route's own)."""
        credential = Credential(
            header=request.headers.get(CREDENTIAL_HEADER),
            query_names=frozenset(request.query_params.keys()),
        )
        db = self.sessions()
        try:
            principal, quota = await to_thread.run_sync(
                self.admission.guarded, db, credential, self.policy, address
            )
            set_quota(scope, quota)
            yield RequestContext(db=db, principal=principal)
        finally:
            await close_session(db)
