"""The database session of an ASGI request: opened and admitted in one worker-thread hop,
closed inline where that waits on no network (core/dialects/)."""

from anyio import to_thread
from sqlalchemy.orm import Session

from ...core.choices import dialect


async def close_session(db: Session) -> None:
    """Close `db` inline on a local database, else in a worker thread."""
    if dialect.CLOSE_WAITS_ON_NETWORK:
        await to_thread.run_sync(db.close)
    else:
        db.close()
