"""The Vault secrets source: one KV v2 secret, read once at start-up with hvac.

Bootstrap (process environment only): VAULT_ADDR; VAULT_ROLE_ID and VAULT_SECRET_ID for
AppRole (recommended for production) or VAULT_TOKEN; VAULT_MOUNT (default secret) and
VAULT_PATH, the secret holding the settings. Works with HashiCorp Vault and OpenBao.
"""

import os
from collections.abc import Mapping

import hvac
from hvac.exceptions import Forbidden, InvalidPath, InvalidRequest, Unauthorized, VaultError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from .remote import RemoteSettingsSource, bootstrap_variable, service_url, source_error

DEFAULT_MOUNT = "secret"
TIMEOUT_SECONDS = 10
REFUSED = (Forbidden, InvalidRequest, Unauthorized)


def _is_production() -> bool:
    """APP_ENV as the process environment sets it: anything but development or test counts."""
    return os.environ.get("APP_ENV", "").strip().lower() not in ("development", "test")


class VaultSettingsSource(RemoteSettingsSource):
    def fetch(self) -> Mapping[str, object]:
        client = hvac.Client(url=service_url("VAULT_ADDR"), timeout=TIMEOUT_SECONDS)
        mount = bootstrap_variable("VAULT_MOUNT", DEFAULT_MOUNT)
        path = bootstrap_variable("VAULT_PATH")
        try:
            _log_in(client)
            response = client.secrets.kv.v2.read_secret_version(
                path=path, mount_point=mount, raise_on_deleted_version=True
            )
        except InvalidPath:
            raise source_error("VAULT_PATH", "names no secret in VAULT_MOUNT") from None
        except Forbidden:
            raise source_error("VAULT_PATH", "may not be read with these credentials") from None
        except VaultError as error:
            raise source_error("VAULT_ADDR", f"Vault answered {type(error).__name__}") from None
        except OSError as error:  # requests' connection errors are OSErrors
            raise source_error(
                "VAULT_ADDR", f"Vault is unreachable ({type(error).__name__})"
            ) from None
        secrets = response["data"]["data"]
        if not isinstance(secrets, dict):
            raise source_error("VAULT_PATH", "does not hold key-value settings")
        return secrets


def _log_in(client: hvac.Client) -> None:
    """AppRole when VAULT_ROLE_ID is set, else VAULT_TOKEN; never a root token in production."""
    role_id = os.environ.get("VAULT_ROLE_ID", "").strip()
    if role_id:
        secret_id = bootstrap_variable("VAULT_SECRET_ID")
        try:
            client.auth.approle.login(role_id=role_id, secret_id=secret_id)
        except REFUSED:
            raise source_error("VAULT_SECRET_ID", "was refused by Vault (AppRole login)") from None
        return
    client.token = bootstrap_variable("VAULT_TOKEN")
    try:
        token = client.auth.token.lookup_self()["data"]
    except REFUSED:
        raise source_error("VAULT_TOKEN", "was refused by Vault") from None
    if "root" in token["policies"] and _is_production():
        raise source_error("VAULT_TOKEN", "is a root token, refused in production: use AppRole")


def settings_sources(settings_cls: type[BaseSettings]) -> tuple[PydanticBaseSettingsSource, ...]:
    return (VaultSettingsSource(settings_cls),)
