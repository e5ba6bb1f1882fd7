"""Whether the servers the settings name answer: the database, and the rate-limit storage
where it is a server (Redis). `check-config` reports each that does not, by its setting's
name: a URL can hold a password, so neither it nor the driver's message is shown."""

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .choices import rate_limit_backend
from .database import DatabaseUnavailableError, create_database_engine
from .settings import SettingProblem, Settings

UNANSWERED = "cannot be reached, or refuses the login"


def database_problem(settings: Settings) -> SettingProblem | None:
    engine = create_database_engine(settings)
    try:
        with engine.connect() as connection:
            connection.execute(select(1))
    # The engine reports a refused connection as DatabaseUnavailableError (core/database.py).
    except (SQLAlchemyError, DatabaseUnavailableError):
        return SettingProblem("DATABASE_URL", UNANSWERED)
    finally:
        engine.dispose()
    return None


def storage_problem(settings: Settings) -> SettingProblem | None:
    """In-process storage always answers; a server's is named by its settings (REDIS_URL)."""
    if rate_limit_backend.create_storage(settings, production=False).check():
        return None
    names = rate_limit_backend.StorageSettings.model_fields
    return SettingProblem(", ".join(name.upper() for name in names), UNANSWERED)


def unanswered_settings(settings: Settings) -> list[SettingProblem]:
    problems = (database_problem(settings), storage_problem(settings))
    return [problem for problem in problems if problem is not None]
