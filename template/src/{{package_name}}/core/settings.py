"""Service settings: read from the secrets source, validated before anything starts.

A setting that is missing, invalid, a placeholder or too weak, or a secrets source that
cannot be read, stops the service with a message naming the setting, never its value, so
secrets cannot leak into terminals or logs.
"""

import os
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from limits import parse
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from .choices import dialect, rate_limit_backend, secrets_source, tenant_logins
from .secrets import rules
from .security.settings import AuthSettings

DOTENV_PATH = Path(".env")


class AppEnv(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


def _split_comma_list(value: object) -> object:
    if isinstance(value, str):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    return value


CommaList = Annotated[tuple[str, ...], NoDecode]
NetworkList = Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode]


class Settings(AuthSettings, rate_limit_backend.StorageSettings, tenant_logins.TenancySettings):
    """Every setting of the service; a field's environment variable is its name in capitals.

    The settings of the authentication mode come from `AuthSettings`, those of the
    rate-limit storage from `StorageSettings`, the tenancy's logins from `TenancySettings`.
    """

    model_config = SettingsConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)

    app_env: AppEnv = AppEnv.PRODUCTION
    database_url: SecretStr
    cors_origins: CommaList = ()
    trusted_proxies: NetworkList = ()
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    docs_enabled: bool | None = None
    # Uploaded files, under generated names; no route serves this directory.
    attachments_dir: Path = Path("data/attachments")
    rate_limit_default: str = "100/minute"
    rate_limit_login: str = "5/15minutes"

    @property
    def is_development(self) -> bool:
        return self.app_env is AppEnv.DEVELOPMENT

    @property
    def docs_available(self) -> bool:
        """Interactive docs default to off in production and on elsewhere."""
        if self.docs_enabled is None:
            return self.app_env is not AppEnv.PRODUCTION
        return self.docs_enabled

    @field_validator("*")
    @classmethod
    def _secrets_are_real(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, SecretStr):
            rules.check_secret(info.field_name or "", value)
        return value

    _split_cors_origins = field_validator("cors_origins", mode="before")(_split_comma_list)
    _split_trusted_proxies = field_validator("trusted_proxies", mode="before")(_split_comma_list)

    # DATABASE_ALL_TENANTS_URL exists with tenancy=row_rls only.
    @field_validator("database_url", "database_all_tenants_url", check_fields=False)
    @classmethod
    def _database_url_matches_engine(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        # The message describes the expected form only: the URL may hold a password.
        url = urlsplit(value.get_secret_value())
        if url.scheme != dialect.DRIVER_NAME or url.path.strip("/") == "":
            raise ValueError(f"must have the form {dialect.URL_FORM}")
        return value

    @field_validator("rate_limit_default", "rate_limit_login")
    @classmethod
    def _rate_limit_parses(cls, value: str) -> str:
        try:
            allowed = parse(value).amount
        except ValueError:
            allowed = 0
        if allowed < 1:
            raise ValueError("must be a rate such as 100/minute or 5/15minutes")
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_origins(
        cls, origins: tuple[str, ...], info: ValidationInfo
    ) -> tuple[str, ...]:
        for origin in origins:
            if origin == "*":
                if info.data.get("app_env") is not AppEnv.DEVELOPMENT:
                    raise ValueError("may be * only when APP_ENV=development")
                continue
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
                raise ValueError("must list origins such as https://app.example.com")
        return origins


class LoadedSettings(Settings):
    """Settings as the service loads them: the secrets source first, then the environment.

    Only `load_settings` builds these, so building `Settings` from given values (in tests,
    in tools) never reaches the secrets source.
    """

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment may still set what the source does not hold, such as APP_ENV.
        return (
            init_settings,
            *secrets_source.settings_sources(settings_cls),
            env_settings,
            dotenv_settings,
        )


@dataclass(frozen=True)
class SettingProblem:
    """One unusable setting: its environment variable name and why, without its value."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


class SettingsError(Exception):
    """Raised when the service cannot start with the settings it was given."""

    def __init__(self, problems: list[SettingProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "SettingsError":
        return cls([_problem_from(detail) for detail in error.errors(include_input=False)])


def _problem_from(detail: ErrorDetails) -> SettingProblem:
    name = str(detail["loc"][0]).upper() if detail["loc"] else "SETTINGS"
    if detail["type"] == "missing":
        return SettingProblem(name, "is required")
    if detail["type"] == "value_error":
        return SettingProblem(name, str(detail.get("ctx", {}).get("error", detail["msg"])))
    return SettingProblem(name, detail["msg"])


def load_settings() -> Settings:
    """Read the settings from the secrets source and the process environment, once at start-up.

    .env is read in development only, and below both.
    """
    app_env = os.environ.get("APP_ENV", "").strip().lower()
    env_file = DOTENV_PATH if app_env == AppEnv.DEVELOPMENT else None
    try:
        return LoadedSettings(_env_file=env_file)
    except ValidationError as error:
        raise SettingsError.from_validation_error(error) from None
