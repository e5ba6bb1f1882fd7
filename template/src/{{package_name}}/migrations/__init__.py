"""Alembic migrations, run programmatically so they work from any directory without alembic.ini."""

from pathlib import Path

from alembic import command
from alembic.config import Config

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


def upgrade_to_head(database_url: str) -> None:
    """Apply every migration not yet applied; running it again changes nothing."""
    command.upgrade(alembic_config(database_url), "head")
