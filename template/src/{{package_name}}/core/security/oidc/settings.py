"""Settings of the OIDC resource server, validated with the rest at start-up."""

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings

from .oidc import check_provider_url


class AuthSettings(BaseSettings):
    oidc_issuer: str
    oidc_audience: str = Field(min_length=1)
    # Without it, the JWKS URL comes from the issuer's discovery document.
    oidc_jwks_url: str | None = None
    oidc_roles_claim: str = Field(default="roles", min_length=1)
    oidc_tenant_claim: str = Field(default="tenant_id", min_length=1)
    oidc_superuser_role: str = Field(default="superuser", min_length=1)

    @field_validator("oidc_issuer", "oidc_jwks_url")
    @classmethod
    def _provider_urls_are_trusted(cls, value: str | None) -> str | None:
        return None if value is None else check_provider_url(value)
