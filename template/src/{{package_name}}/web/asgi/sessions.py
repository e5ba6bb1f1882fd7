"""The database session of an ASGI request: opened and admitted in one worker-thread hop,
closed inline where that waits on no network (core/dialects/)."""

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from anyio import to_thread
from sqlalchemy.orm import Session

from ...core.authorization import Policy
from ...core.choices import dialect
from ...core.database import SessionFactory
from ...core.http.admission import Admission, RequestContext
from ...core.security.credentials import Credential
from .edge import set_quota
from .types import Scope


async def close_session(db: Session) -> None:
    """Close `db` inline on a local database, else in a worker thread."""
    if dialect.CLOSE_WAITS_ON_NETWORK:
        await to_thread.run_sync(db.close)
    else:
        db.close()


@asynccontextmanager
async def guarded_context(
    admission: Admission,
    sessions: SessionFactory,
    policy: Policy,
    scope: Scope,
    credential_header: str | None,
    query_names: Iterable[str],
    address: str,
) -> AsyncIterator[RequestContext]:
    """The request admitted under `policy` in one worker-thread hop (a sync dependency
    would take one to enter and one to exit, besides the route's own)."""
    credential = Credential(header=credential_header, query_names=frozenset(query_names))
    db = sessions()
    try:
        principal, quota = await to_thread.run_sync(
            admission.guarded, db, credential, policy, address
        )
        set_quota(scope, quota)
        yield RequestContext(db=db, principal=principal)
    finally:
        await close_session(db)
