"""Whether the servers the settings name answer: the database, and the rate-limit storage
where it is a server (Redis). `check-config` reports each that does not, by its setting's
name: a URL can hold a password, so neither it nor the driver's message is shown.

With row-level security, DATABASE_URL's login must be held to one tenant when
DATABASE_ALL_TENANTS_URL gives cross-tenant transactions a login of their own, and must
be able to act across tenants when it does not."""

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from .choices import rate_limit_backend
from .database import DatabaseUnavailableError, create_service_engines
from .settings import AppEnv, SettingProblem, Settings
from .tenancy import can_act_across_tenants

UNANSWERED = "cannot be reached, or refuses the login"
ACTS_ACROSS_TENANTS = (
    "logs in as a role that can act across tenants (a superuser, or a member of the"
    " cross-tenant role), which DATABASE_ALL_TENANTS_URL is for: grant it the application"
    " role only"
)
HELD_TO_A_TENANT = (
    "logs in as a role that cannot act across tenants, as authentication and superusers"
    " must: set DATABASE_ALL_TENANTS_URL to a login that holds the cross-tenant role"
)


def database_problems(settings: Settings) -> list[SettingProblem]:
    engines = create_service_engines(settings)
    try:
        if engines.across_tenants is None:
            return _login_problems("DATABASE_URL", engines.main, across_tenants=True)
        return [
            *_login_problems("DATABASE_URL", engines.main, across_tenants=False),
            *_login_problems("DATABASE_ALL_TENANTS_URL", engines.across_tenants),
        ]
    finally:
        engines.dispose()


def _login_problems(
    name: str, engine: Engine, *, across_tenants: bool | None = None
) -> list[SettingProblem]:
    """Whether the login answers and, unless `across_tenants` is None, whether it can act
    across tenants exactly when it should."""
    try:
        with engine.connect() as connection:
            connection.execute(select(1))
            can = across_tenants is None or can_act_across_tenants(connection)
    # The engine reports a refused connection as DatabaseUnavailableError (core/database.py).
    except (SQLAlchemyError, DatabaseUnavailableError):
        return [SettingProblem(name, UNANSWERED)]
    if across_tenants is None or can == across_tenants:
        return []
    return [SettingProblem(name, ACTS_ACROSS_TENANTS if can else HELD_TO_A_TENANT)]


def storage_problem(settings: Settings) -> SettingProblem | None:
    """In-process storage always answers; a server's is named by its settings (REDIS_URL)."""
    if rate_limit_backend.create_storage(settings, production=False).check():
        return None
    names = rate_limit_backend.StorageSettings.model_fields
    return SettingProblem(", ".join(name.upper() for name in names), UNANSWERED)


def unanswered_settings(settings: Settings) -> list[SettingProblem]:
    problems = [*database_problems(settings), storage_problem(settings)]
    return [problem for problem in problems if problem is not None]


def production_warnings(settings: Settings) -> list[SettingProblem]:
    """What the service can run with, but production should not."""
    if settings.app_env is not AppEnv.PRODUCTION:
        return []
    return [SettingProblem(name, why) for name, why in settings.production_warnings().items()]
