"""SQLite's engine: the write-ahead log, and a lock held past the busy timeout as a 503."""

import sqlite3
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from ...core.database import DatabaseBusyError, create_database_engine, create_session_factory
from ...core.dialects.sqlite import BUSY_TIMEOUT_SECONDS
from ...core.settings import Settings


def test_connections_use_the_write_ahead_log(settings: Settings) -> None:
    engine = create_database_engine(settings)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


def test_connections_wait_for_a_lock_longer_than_the_drivers_default(settings: Settings) -> None:
    """sqlite3 gives up on a lock after 5 s; the service's connections wait BUSY_TIMEOUT."""
    engine = create_database_engine(settings)
    try:
        with engine.connect() as connection:
            waits_ms = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    finally:
        engine.dispose()

    assert waits_ms == BUSY_TIMEOUT_SECONDS * 1000 > 5000


def test_a_lock_that_outlasts_the_busy_timeout_is_a_503(settings: Settings) -> None:
    engine = create_database_engine(settings)
    sessions = create_session_factory(engine)
    holder = sqlite3.connect(urlsplit(settings.database_url.get_secret_value()).path)
    try:
        with engine.connect() as connection:
            # The pool hands this connection out again; waiting 15 s would slow the suite.
            connection.exec_driver_sql("PRAGMA busy_timeout = 100")
        holder.execute("BEGIN IMMEDIATE")
        with sessions() as session, pytest.raises(DatabaseBusyError) as refused:
            session.execute(text("DELETE FROM items WHERE 1 = 0"))
    finally:
        holder.close()
        engine.dispose()

    assert refused.value.status == 503
    assert refused.value.headers == {"Retry-After": "1"}
