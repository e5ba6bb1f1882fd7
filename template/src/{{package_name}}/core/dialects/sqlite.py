"""What the service expects of its SQLite database URL and engine."""

import sqlite3
from typing import Any

from sqlalchemy import Engine, event

DRIVER_NAME = "sqlite"
URL_FORM = "sqlite:///<path to the database file>"

# How long a write waits for its turn before the request is answered 503 (busy).
BUSY_TIMEOUT_SECONDS = 15

# A file database shared by the server's worker threads; SQLAlchemy pools its connections.
ENGINE_OPTIONS: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_SECONDS}}

# Ending a session's transaction releases a lock on a local file, waiting for nothing: an
# event loop may close a session inline instead of in a worker thread.
CLOSE_WAITS_ON_NETWORK = False


def is_busy(error: BaseException) -> bool:
    """Whether the driver gave up waiting for a lock (SQLITE_BUSY, SQLITE_LOCKED), rather
    than refusing the statement itself (a missing table is an OperationalError too)."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def configure_engine(engine: Engine) -> None:
    """Serve concurrent requests: with the write-ahead log, readers never wait for the
    writer nor the writer for readers, so only writers queue, for the busy timeout at most.

    The driver begins a transaction right before its first write, never earlier, so a
    write waits for the lock instead of upgrading a read that another writer made stale
    (which SQLite refuses at once as "database is locked")."""

    @event.listens_for(engine, "connect")
    def _write_ahead_log(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # The mode is kept in the file: switched once, by the first connection (a switch
        # needs the database to itself, so it is not repeated by every connection).
        (mode,) = dbapi_connection.execute("PRAGMA journal_mode").fetchone()
        if mode != "wal":
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
