"""The shared shape of a remote secrets source: bootstrap from the environment, fetch once.

A source reads its own bootstrap variables (address, credentials) from the process
environment only, fetches one flat mapping of setting names to values, and hands the
values of known settings to pydantic-settings. A failure is raised as a validation error
on the bootstrap variable to blame, so it is reported like any other bad setting and the
service does not start.
"""

import logging
import os
from abc import abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_settings import PydanticBaseSettingsSource

from ..validation import is_trusted_service_url


def source_error(variable: str, reason: str) -> ValidationError:
    """An error naming a bootstrap variable and what is wrong, without any value."""
    detail = InitErrorDetails(
        type=PydanticCustomError("secrets_source", reason), loc=(variable,), input=None
    )
    return ValidationError.from_exception_data("Settings", [detail])


def bootstrap_variable(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, "").strip() or default
    if value is None:
        raise source_error(name, "is required")
    return value


def service_url(name: str, default: str | None = None) -> str:
    """The URL of the secrets service: https, or plain http to this machine only."""
    url = bootstrap_variable(name, default).rstrip("/")
    if is_trusted_service_url(url):
        return url
    raise source_error(name, "must be an https:// URL (plain http only to localhost)")


@contextmanager
def _quiet(logger_names: tuple[str, ...]) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in logger_names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class RemoteSettingsSource(PydanticBaseSettingsSource):
    """Settings held by a secrets service, fetched when the settings are loaded."""

    # The client library's loggers, kept below INFO during the fetch: a start-up download
    # is not worth a log line, and commands such as create-api-key print only their result.
    client_loggers: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def fetch(self) -> Mapping[str, object]:
        """Every value the secrets service holds for this service, by setting name."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        # Required by the base class; __call__ maps the whole fetched mapping at once instead.
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        with _quiet(self.client_loggers):
            fetched = {name.lower(): value for name, value in self.fetch().items()}
        return {
            field_name: fetched[field_name]
            for field_name in self.settings_cls.model_fields
            if field_name in fetched
        }
