"""The Doppler secrets source: the config of a service token, downloaded once at start-up.

Bootstrap (process environment only): DOPPLER_TOKEN, a service token scoped to one config,
and DOPPLER_API_URL, Doppler's public API unless set.
"""

from collections.abc import Mapping
from http import HTTPStatus

import httpx
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from .remote import RemoteSettingsSource, bootstrap_variable, service_url, source_error

DEFAULT_API_URL = "https://api.doppler.com"
DOWNLOAD_PATH = "/v3/configs/config/secrets/download"
TIMEOUT_SECONDS = 10.0


class DopplerSettingsSource(RemoteSettingsSource):
    client_loggers = ("httpx",)

    def fetch(self) -> Mapping[str, object]:
        token = bootstrap_variable("DOPPLER_TOKEN")
        api_url = service_url("DOPPLER_API_URL", DEFAULT_API_URL)
        try:
            response = httpx.get(
                api_url + DOWNLOAD_PATH,
                params={"format": "json"},
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                timeout=TIMEOUT_SECONDS,
            )
        except httpx.HTTPError as error:
            raise source_error(
                "DOPPLER_API_URL", f"Doppler is unreachable ({type(error).__name__})"
            ) from None
        # Doppler explains a refusal in its body; the status says enough without echoing it.
        if response.status_code in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
            raise source_error(
                "DOPPLER_TOKEN", f"was refused by Doppler (HTTP {response.status_code})"
            )
        if response.status_code != HTTPStatus.OK:
            raise source_error("DOPPLER_API_URL", f"Doppler answered HTTP {response.status_code}")
        try:
            secrets = response.json()
        except ValueError:
            secrets = None
        if not isinstance(secrets, dict):
            raise source_error("DOPPLER_API_URL", "Doppler did not answer a JSON object")
        return secrets


def settings_sources(settings_cls: type[BaseSettings]) -> tuple[PydanticBaseSettingsSource, ...]:
    return (DopplerSettingsSource(settings_cls),)
