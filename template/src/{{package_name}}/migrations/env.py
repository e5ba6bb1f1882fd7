"""Alembic environment: applies the migrations in versions/ through a dedicated connection."""

from alembic import context
from sqlalchemy import MetaData, create_engine, pool


def run_migrations(database_url: str, target_metadata: MetaData) -> None:
    engine = create_engine(database_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations(
    context.config.attributes["database_url"],
    context.config.attributes["target_metadata"],
)
