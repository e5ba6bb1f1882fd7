"""Database engine and sessions (SQLAlchemy 2), shared by every adapter.

A transaction that cannot get its turn is a 503 problem with Retry-After, decided here
once for every framework, never a 500.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import structlog
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import OperationalError, SQLAlchemyError
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

    def __init__(self, detail: str = "The database is not reachable.") -> None:
        super().__init__(detail)


class DatabaseBusyError(ServiceUnavailableError):
    """The database answers but could not serve this transaction in time (a lock that timed
    out, a conflict it gave up on): the caller may retry at once."""

    retry_after = 1

    def __init__(self) -> None:
        super().__init__("The database is busy; retry later.")


def answer_outages_with_503(engine: Engine) -> None:
    """Turn a transaction the database could not serve in time into a 503 problem."""

    @event.listens_for(engine, "handle_error")
    def _unavailable(context: ExceptionContext) -> None:
        if context.is_pre_ping:
            return  # The pool reconnects by itself.
        answered = context.connection is not None
        if answered and isinstance(context.sqlalchemy_exception, OperationalError):
            logger.warning("database_busy", error=type(context.original_exception).__name__)
            raise DatabaseBusyError


def create_database_engine(settings: Settings) -> Engine:
    engine = create_engine(
        settings.database_url.get_secret_value(),
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        **dialect.ENGINE_OPTIONS,
    )
    dialect.configure_engine(engine)
    answer_outages_with_503(engine)
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
        raise DatabaseUnavailableError from error
