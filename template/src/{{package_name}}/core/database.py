"""Database engine and sessions (SQLAlchemy 2), shared by every adapter."""

from collections.abc import Iterator
from contextlib import contextmanager

import structlog
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from .choices import dialect
from .errors import ServiceUnavailableError
from .repositories import enter_tenant_context
from .settings import Settings
from .tenancy import ALL_TENANTS, secure_engine, secure_sessions

logger = structlog.get_logger(__name__)

SessionFactory = sessionmaker[Session]

# Connections per process; the web adapter admits no more requests at a time than this.
POOL_SIZE = 10
MAX_OVERFLOW = 10
MAX_CONNECTIONS = POOL_SIZE + MAX_OVERFLOW


class DatabaseUnavailableError(ServiceUnavailableError):
    """The database does not answer: 503, so that readiness checks and callers retry."""


def create_database_engine(settings: Settings) -> Engine:
    engine = create_engine(
        settings.database_url.get_secret_value(),
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        # Errors and their logs name the statement, never the submitted values.
        hide_parameters=True,
        **dialect.ENGINE_OPTIONS,
    )
    secure_engine(engine)
    return engine


def create_session_factory(engine: Engine) -> SessionFactory:
    sessions = sessionmaker(engine, expire_on_commit=False)
    secure_sessions(sessions)
    return sessions


@contextmanager
def standalone_session(settings: Settings) -> Iterator[Session]:
    """A session with an engine of its own, for commands that run outside the app; they act
    across tenants (a command names the tenant it works for explicitly)."""
    engine = create_database_engine(settings)
    try:
        with create_session_factory(engine)() as session:
            enter_tenant_context(session, ALL_TENANTS)
            yield session
    finally:
        engine.dispose()


def check_database(sessions: SessionFactory) -> None:
    """Run a trivial query, so readiness reflects whether the database really answers."""
    try:
        with sessions() as session:
            session.execute(select(1))
    except SQLAlchemyError as error:
        # The error message can name hosts or paths: log its class only.
        logger.warning("database_unreachable", error=type(error).__name__)
        raise DatabaseUnavailableError("The database is not reachable.") from error
