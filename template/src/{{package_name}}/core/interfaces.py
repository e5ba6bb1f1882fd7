"""The interface of each option family: every choice's module implements its Protocol.

Each selector module (`choices.py`, `security/mode.py`, `tenancy.py`) assigns the module it
chose to a name annotated with the family's Protocol, so `mypy --strict` holds every choice
to the same interface, and adding a choice means implementing one. The selectors import this
module early, so it imports no model at run time.
"""

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from limits.storage import Storage
from pwdlib import PasswordHash
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from .security.credentials import Credential

if TYPE_CHECKING:
    from .authorization import Principal


class Dialect(Protocol):
    """What the service expects of its database URL and engine (core/dialects/)."""

    @property
    def DRIVER_NAME(self) -> str: ...  # noqa: N802 (a constant of the module)

    @property
    def URL_FORM(self) -> str: ...  # noqa: N802

    @property
    def ENGINE_OPTIONS(self) -> dict[str, Any]: ...  # noqa: N802

    @property
    def CLOSE_WAITS_ON_NETWORK(self) -> bool: ...  # noqa: N802

    def configure_engine(self, engine: Engine) -> None: ...

    def is_busy(self, error: BaseException) -> bool: ...


BackendSettings = TypeVar("BackendSettings", bound=BaseSettings)


class RateLimitBackend(Protocol[BackendSettings]):
    """Where rate-limit counters live (core/rate_limit_backends/), generic in the settings
    the backend reads."""

    @property
    def StorageSettings(self) -> type[BackendSettings]: ...  # noqa: N802 (a class of the module)

    def create_storage(self, settings: BackendSettings, *, production: bool) -> Storage: ...


class SecretsSource(Protocol):
    """Where settings come from (core/secrets/): sources ahead of the environment's."""

    def settings_sources(
        self, settings_cls: type[BaseSettings]
    ) -> tuple[PydanticBaseSettingsSource, ...]: ...


class Authenticator(Protocol):
    """Turns a request's credential into its caller, or raises AuthenticationError (401)."""

    def authenticate(self, db: Session, credential: Credential) -> "Principal": ...


class PasswordHasher(Protocol):
    """How passwords are hashed (core/security/jwt/hashing_*.py)."""

    @property
    def ALGORITHM(self) -> str: ...  # noqa: N802 (a constant of the module)

    @property
    def HASHER(self) -> PasswordHash: ...  # noqa: N802

    @property
    def MAX_PASSWORD_BYTES(self) -> int | None: ...  # noqa: N802


class RowSecurity(Protocol):
    """How the database engine and sessions are secured for the tenancy (tenancy_modes/)."""

    @property
    def TRANSACTION_HOLDS_CONTEXT(self) -> bool: ...  # noqa: N802 (a constant of the module)

    def secure_engine(self, engine: Engine, *, across_tenants: bool = False) -> None: ...

    def secure_sessions(self, sessions: "sessionmaker[Session]") -> None: ...

    def can_act_across_tenants(self, connection: Connection) -> bool: ...
