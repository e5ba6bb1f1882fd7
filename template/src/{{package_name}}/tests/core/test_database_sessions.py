"""Sessions answer for the database in every engine: a connection that is gone is dropped
from the pool when its session closes, instead of failing the request that held it."""

from sqlalchemy import select

from ...core.database import create_database_engine, create_session_factory
from ...core.settings import Settings


def test_a_session_whose_connection_died_closes_cleanly(settings: Settings) -> None:
    engine = create_database_engine(settings)
    sessions = create_session_factory(engine)
    try:
        session = sessions()
        session.execute(select(1))
        # The driver's connection goes away under the open transaction, as when the server
        # shuts down mid-request; the rollback on close cannot reach it.
        session.connection().connection.dbapi_connection.close()  # type: ignore[union-attr]

        session.close()

        with sessions() as fresh:
            assert fresh.scalar(select(1)) == 1
    finally:
        engine.dispose()
