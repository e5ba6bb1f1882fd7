"""Settings of the second factor: the data encryption keys and the roles that must enrol."""

import binascii
from base64 import urlsafe_b64decode
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from ....secrets import rules
from ..settings import AuthSettings as PasswordSettings

KEY_BYTES = 32
RequiredRole = Literal["superuser", "admin", "member"]


def _split(value: object) -> object:
    if isinstance(value, str):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    return value


def encryption_keys(value: SecretStr) -> list[bytes]:
    """The keys of DATA_ENCRYPTION_KEYS, newest (the one that encrypts) first."""
    return [key.strip().encode() for key in value.get_secret_value().split(",") if key.strip()]


def _check_key(key: bytes) -> None:
    text = key.decode()
    if rules.is_placeholder(text) or rules.is_published(text):
        raise ValueError("lists a placeholder: set real keys")
    try:
        raw = urlsafe_b64decode(key)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise ValueError(f"must list url-safe base64 keys of {KEY_BYTES} bytes")
    if rules.is_guessable(text):
        raise ValueError("lists a key that is guessable, not random: generate a new one")


class AuthSettings(PasswordSettings):
    # Comma-separated Fernet keys: the first encrypts, every one decrypts (rotation).
    data_encryption_keys: SecretStr
    mfa_required_roles: Annotated[tuple[RequiredRole, ...], NoDecode] = Field(default=())

    _split_roles = field_validator("mfa_required_roles", mode="before")(_split)

    @field_validator("data_encryption_keys")
    @classmethod
    def _keys_are_real(cls, value: SecretStr) -> SecretStr:
        keys = encryption_keys(value)
        if not keys:
            raise ValueError("must list at least one key")
        for key in keys:
            _check_key(key)
        return value
