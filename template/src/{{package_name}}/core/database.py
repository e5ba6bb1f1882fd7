"""Database engine and sessions (SQLAlchemy 2), shared by every adapter.

Outages are decided here, once for every framework: a database that cannot be reached, or
a transaction that cannot get its turn, is a 503 problem with Retry-After, never a 500. An
outage is logged when it begins and when it ends, not once per request.
"""

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import structlog
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from .choices import dialect
from .errors import ServiceUnavailableError
from .reachability import Reachability
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


class ServiceSession(Session):
    """A session whose close never fails: a rollback that cannot reach the database drops
    the connection from the pool instead of raising, so the request is still answered."""

    def close(self) -> None:
        try:
            super().close()
        except (SQLAlchemyError, ServiceUnavailableError):
            self.invalidate()


def answer_outages_with_503(engine: Engine) -> None:
    """Turn the driver's connection and operational failures into 503 problems, and log
    the database going and coming back (a new connection succeeding)."""
    reachability = Reachability("database_unreachable", "database_reachable")

    @event.listens_for(engine, "handle_error")
    def _unavailable(context: ExceptionContext) -> None:
        if context.is_pre_ping:
            return  # The pool reconnects by itself; a failure there arrives here again.
        failure = context.sqlalchemy_exception
        unreachable = context.is_disconnect or context.connection is None
        if unreachable and isinstance(failure, (OperationalError, InterfaceError)):
            reachability.lost(context.original_exception)
            raise DatabaseUnavailableError
        if isinstance(failure, OperationalError) and dialect.is_busy(context.original_exception):
            logger.warning("database_busy", error=type(context.original_exception).__name__)
            raise DatabaseBusyError

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection: object, _record: object) -> None:
        reachability.regained()


def create_database_engine(settings: Settings) -> Engine:
    return engine_for(settings.database_url.get_secret_value())


def engine_for(database_url: str) -> Engine:
    """The service's engine for a database: its pool, its dialect's configuration, its
    answers to outages and its tenant security."""
    engine = create_engine(
        database_url,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        # Errors and their logs name the statement, never the submitted values.
        hide_parameters=True,
        **dialect.ENGINE_OPTIONS,
    )
    dialect.configure_engine(engine)
    answer_outages_with_503(engine)
    secure_engine(engine)
    return engine


def create_session_factory(engine: Engine) -> SessionFactory:
    session_class: type[Session] = ServiceSession
    sessions = sessionmaker(engine, class_=session_class, expire_on_commit=False)
    secure_sessions(sessions)
    return sessions


def standalone_session(settings: Settings) -> AbstractContextManager[Session]:
    """A session with an engine of its own, for commands that run outside the app; they act
    across tenants (a command names the tenant it works for explicitly)."""
    return session_across_tenants(settings.database_url.get_secret_value())


@contextmanager
def session_across_tenants(database_url: str) -> Iterator[Session]:
    """A session of the service's engine for `database_url`, in the all-tenants context."""
    engine = engine_for(database_url)
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
