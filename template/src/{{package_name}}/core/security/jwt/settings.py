"""Settings of password authentication, validated with the rest at start-up."""

from pydantic import EmailStr, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings

from .passwords import check_password_policy


class AuthSettings(BaseSettings):
    # At least 32 random bytes: the service's secret rules refuse weak or placeholder keys.
    jwt_secret: SecretStr
    # 15 minutes at most, in every environment: access tokens cannot be recalled one by one.
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=900)
    refresh_token_ttl_seconds: int = Field(default=604_800, ge=900, le=7_776_000)
    first_superuser_email: EmailStr | None = Field(default=None, max_length=320)
    first_superuser_password: SecretStr | None = Field(default=None, validate_default=True)

    @field_validator("first_superuser_password")
    @classmethod
    def _superuser_is_complete(
        cls, value: SecretStr | None, info: ValidationInfo
    ) -> SecretStr | None:
        has_email = info.data.get("first_superuser_email") is not None
        if value is None:
            if has_email:
                raise ValueError("is required with FIRST_SUPERUSER_EMAIL")
            return value
        if not has_email:
            raise ValueError("needs FIRST_SUPERUSER_EMAIL")
        check_password_policy(value.get_secret_value())
        return value
