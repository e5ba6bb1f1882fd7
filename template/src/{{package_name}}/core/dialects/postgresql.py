"""What the service expects of its PostgreSQL database URL and engine."""

from typing import Any

from sqlalchemy import Engine

DRIVER_NAME = "postgresql+psycopg"
URL_FORM = "postgresql+psycopg://<user>:<password>@<host>:<port>/<database>"

# Drop dead pooled connections before use, and give up on an unreachable server quickly
# so readiness probes answer instead of hanging.
ENGINE_OPTIONS: dict[str, Any] = {
    "pool_pre_ping": True,
    "connect_args": {"connect_timeout": 5},
}

# Closing a session rolls its connection back on the server: a round trip, which an event
# loop must not wait for (it closes sessions in a worker thread).
CLOSE_WAITS_ON_NETWORK = True


# A lock not granted in time, a deadlock, a serialization failure, a statement timeout.
_BUSY_SQLSTATES = frozenset({"55P03", "40P01", "40001", "57014"})


def is_busy(error: BaseException) -> bool:
    """Whether the server gave up on the transaction for its contention, not for the
    statement itself: the caller may retry it."""
    return getattr(error, "sqlstate", None) in _BUSY_SQLSTATES


def configure_engine(_engine: Engine) -> None:
    """Nothing to add: PostgreSQL's row locks let concurrent writers wait their turn."""
