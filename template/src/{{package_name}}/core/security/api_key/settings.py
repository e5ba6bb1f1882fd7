"""Settings of API-key authentication, validated with the rest at start-up."""

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings

from .api_keys import check_key_format


class AuthSettings(BaseSettings):
    # Stored hashed by `migrate` as the key of the first superuser; never a default.
    first_superuser_api_key: SecretStr | None = None

    @field_validator("first_superuser_api_key")
    @classmethod
    def _key_is_well_formed(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            check_key_format(value.get_secret_value())
        return value
