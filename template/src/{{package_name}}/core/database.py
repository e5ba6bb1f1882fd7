"""Database engine and sessions (SQLAlchemy 2), shared by every adapter."""

from collections.abc import Iterator
from contextlib import contextmanager

import structlog
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from . import dialect
from .errors import ServiceUnavailableError
from .settings import Settings

logger = structlog.get_logger(__name__)

SessionFactory = sessionmaker[Session]


class DatabaseUnavailableError(ServiceUnavailableError):
    """The database does not answer: 503, so that readiness checks and callers retry."""


def create_database_engine(settings: Settings) -> Engine:
    return create_engine(settings.database_url.get_secret_value(), **dialect.ENGINE_OPTIONS)


def create_session_factory(engine: Engine) -> SessionFactory:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def standalone_session(settings: Settings) -> Iterator[Session]:
    """A session with an engine of its own, for commands that run outside the app."""
    engine = create_database_engine(settings)
    try:
        with create_session_factory(engine)() as session:
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
