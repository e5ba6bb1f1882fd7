"""Database engine and sessions (SQLAlchemy 2), shared by every adapter.

Outages are decided here, once for every framework: a database that cannot be reached, or
a transaction that cannot get its turn, is a 503 problem with Retry-After, never a 500. An
outage is logged when it begins and when it ends, not once per request.
"""

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import structlog
from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from .base import CONTEXT_KEY
from .choices import dialect
from .errors import ServiceUnavailableError
from .reachability import Reachability
from .repositories import enter_tenant_context
from .settings import Settings
from .tenancy import ALL_TENANTS, secure_engine, secure_sessions
from .transactions import track_writes

logger = structlog.get_logger(__name__)

SessionFactory = sessionmaker[Session]

# Connections per process; the web adapter admits no more requests at a time than this.
POOL_SIZE = 10
MAX_OVERFLOW = 10
MAX_CONNECTIONS = POOL_SIZE + MAX_OVERFLOW
# Where a session keeps the engine of its cross-tenant transactions, if they have their own.
ACROSS_TENANTS_KEY = "across_tenants_engine"


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
    the connection from the pool instead of raising, so the request is still answered.

    Given an engine across tenants (in `info`, with row_rls only), its transactions in the
    all-tenants context run there, on a login of their own; row_rls changes a context
    between transactions only (`enter_tenant_context`), so no transaction mixes the two."""

    # Session.get_bind's own signature, whose keywords SQLAlchemy passes through.
    def get_bind(self, mapper: Any = None, **kwargs: Any) -> Engine | Connection:  # noqa: ANN401
        across_tenants = self.info.get(ACROSS_TENANTS_KEY)
        if isinstance(across_tenants, Engine) and self.info.get(CONTEXT_KEY) == ALL_TENANTS:
            return across_tenants
        return super().get_bind(mapper, **kwargs)

    def close(self) -> None:
        try:
            super().close()
        except (SQLAlchemyError, ServiceUnavailableError):
            self.invalidate()


def answer_outages_with_503(engine: Engine) -> None:
    """Turn the driver's connection and operational failures into 503 problems, and log
    the database going and coming back (a new connection succeeding)."""
    reachability = Reachability("database_unreachable", "database_reachable")
    # A connection is made in one thread from start to end: its ticket waits there.
    connecting = threading.local()

    @event.listens_for(engine, "do_connect")
    def _connecting(*_connect_arguments: object) -> None:
        connecting.ticket = reachability.ticket()

    @event.listens_for(engine, "handle_error")
    def _unavailable(context: ExceptionContext) -> None:
        if context.is_pre_ping:
            return  # The pool reconnects by itself; a failure there arrives here again.
        failure = context.sqlalchemy_exception
        unreachable = context.is_disconnect or context.connection is None
        if unreachable and isinstance(failure, (OperationalError, InterfaceError)):
            # A connection that failed to be made was tried from its ticket; a connection
            # lost in use is news, whenever it was made.
            ticket = getattr(connecting, "ticket", None) if context.connection is None else None
            reachability.lost(context.original_exception, ticket)
            raise DatabaseUnavailableError
        if isinstance(failure, OperationalError) and dialect.is_busy(context.original_exception):
            logger.warning("database_busy", error=type(context.original_exception).__name__)
            raise DatabaseBusyError

    @event.listens_for(engine, "connect")
    def _connected(*_connection_and_record: object) -> None:
        reachability.regained(connecting.ticket)


class ConnectionPools(Protocol):
    """An engine, or the service's engines: what a forked worker disposes of."""

    def dispose(self, close: bool = True) -> None: ...


@dataclass(frozen=True)
class ServiceEngines:
    """The engines of a service: DATABASE_URL's for every transaction, and with
    tenancy=row_rls and DATABASE_ALL_TENANTS_URL, that login's for those across tenants."""

    main: Engine
    across_tenants: Engine | None = None

    def sessions(self) -> SessionFactory:
        return create_session_factory(self.main, self.across_tenants)

    def dispose(self, close: bool = True) -> None:
        self.main.dispose(close=close)
        if self.across_tenants is not None:
            self.across_tenants.dispose(close=close)


def create_service_engines(settings: Settings) -> ServiceEngines:
    across_tenants_url = settings.across_tenants_database_url
    return ServiceEngines(
        main=create_database_engine(settings),
        across_tenants=None
        if across_tenants_url is None
        else engine_for(across_tenants_url, across_tenants=True),
    )


def create_database_engine(settings: Settings) -> Engine:
    return engine_for(settings.database_url.get_secret_value())


def engine_for(database_url: str, *, across_tenants: bool = False) -> Engine:
    """The service's engine for a database: its pool, its dialect's configuration, its
    answers to outages and its tenant security (`across_tenants`: for the cross-tenant
    login's connections)."""
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
    secure_engine(engine, across_tenants=across_tenants)
    return engine


def create_session_factory(engine: Engine, across_tenants: Engine | None = None) -> SessionFactory:
    session_class: type[Session] = ServiceSession
    info = {} if across_tenants is None else {ACROSS_TENANTS_KEY: across_tenants}
    sessions = sessionmaker(engine, class_=session_class, expire_on_commit=False, info=info)
    secure_sessions(sessions)
    track_writes(sessions)
    return sessions


def standalone_session(settings: Settings) -> AbstractContextManager[Session]:
    """A session with engines of its own, for commands that run outside the app; they act
    across tenants (a command names the tenant it works for explicitly)."""
    return _session_across_tenants(create_service_engines(settings))


def session_across_tenants(database_url: str) -> AbstractContextManager[Session]:
    """A session of the service's engine for `database_url`, in the all-tenants context."""
    return _session_across_tenants(ServiceEngines(main=engine_for(database_url)))


@contextmanager
def _session_across_tenants(engines: ServiceEngines) -> Iterator[Session]:
    try:
        with engines.sessions()() as session:
            enter_tenant_context(session, ALL_TENANTS)
            yield session
    finally:
        engines.dispose()


def check_database(sessions: SessionFactory) -> None:
    """Run a trivial query, so readiness reflects whether the database really answers."""
    try:
        with sessions() as session:
            session.execute(select(1))
    except SQLAlchemyError as error:
        # The error message can name hosts or paths: log its class only.
        logger.warning("database_unreachable", error=type(error).__name__)
        raise DatabaseUnavailableError from error
