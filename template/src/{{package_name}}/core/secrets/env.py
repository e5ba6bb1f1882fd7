"""The env secrets source: the process environment, and .env in development only.

pydantic-settings reads both itself, so this source adds nothing in front of them.
"""

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource


def settings_sources(settings_cls: type[BaseSettings]) -> tuple[PydanticBaseSettingsSource, ...]:
    return ()
