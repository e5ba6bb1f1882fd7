"""Alembic migrations, run programmatically so they work from any directory without alembic.ini."""

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, pool

from ..core.base import Base
from ..core.security.mode import models as _credential_models  # noqa: F401  (registers the tables)

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    # Config values go through configparser interpolation, where % is special.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    # Passed as attributes, not options, so the URL (and its password) never sits in a config.
    config.attributes["database_url"] = database_url
    config.attributes["target_metadata"] = Base.metadata
    return config


@dataclass(frozen=True)
class Upgrade:
    """The schema revision before and after an upgrade (None: an empty database)."""

    before: str | None
    after: str | None

    def summary(self) -> str:
        if self.before == self.after:
            return f"The database schema is already current (revision {self.after})."
        return f"Migrated the database schema from {self.before or 'nothing'} to {self.after}."


def current_revision(database_url: str) -> str | None:
    engine = create_engine(database_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade_to_head(database_url: str, *, verbose: bool = False) -> Upgrade:
    """Apply every migration not yet applied; running it again changes nothing.

    Alembic's report of each step stays out of the logs unless asked for (core/logs.py
    quiets it), since the outcome fits in one line.
    """
    if verbose:
        logging.getLogger("alembic").setLevel(logging.INFO)
    before = current_revision(database_url)
    command.upgrade(alembic_config(database_url), "head")
    return Upgrade(before=before, after=current_revision(database_url))
