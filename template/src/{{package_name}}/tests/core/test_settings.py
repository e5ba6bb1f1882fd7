"""Settings are read from the environment, validated, and never echoed back."""

from collections.abc import Callable
from pathlib import Path

import pytest

from ...core.settings import AppEnv, SettingsError, load_settings

CANARY = "canary-S3cr3t-81c2"


def problem_names(error: SettingsError) -> set[str]:
    return {problem.name for problem in error.problems}


@pytest.mark.usefixtures("database_in_env")
def test_defaults_are_production_safe() -> None:
    settings = load_settings()

    assert settings.app_env is AppEnv.PRODUCTION
    assert settings.max_body_bytes == 1_048_576
    assert settings.cors_origins == ()
    assert settings.trusted_proxies == ()
    assert not settings.docs_available


@pytest.mark.usefixtures("database_in_env")
def test_comma_separated_lists_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example:8443")
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1,192.168.0.0/16")

    settings = load_settings()

    assert settings.cors_origins == ("https://a.example", "https://b.example:8443")
    assert [str(network) for network in settings.trusted_proxies] == [
        "10.0.0.1/32",
        "192.168.0.0/16",
    ]


@pytest.mark.usefixtures("database_in_env")
@pytest.mark.parametrize("app_env", ["production", "test"])
def test_wildcard_cors_is_refused_outside_development(
    monkeypatch: pytest.MonkeyPatch, app_env: str
) -> None:
    monkeypatch.setenv("APP_ENV", app_env)
    monkeypatch.setenv("CORS_ORIGINS", "*")

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert problem_names(raised.value) == {"CORS_ORIGINS"}


@pytest.mark.usefixtures("database_in_env")
def test_wildcard_cors_is_allowed_in_development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("CORS_ORIGINS", "*")

    assert load_settings().cors_origins == ("*",)


def test_errors_name_every_bad_setting_without_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_BODY_BYTES", CANARY)
    monkeypatch.setenv("TRUSTED_PROXIES", CANARY)

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert problem_names(raised.value) == {"DATABASE_URL", "MAX_BODY_BYTES", "TRUSTED_PROXIES"}
    assert CANARY not in str(raised.value)


def test_dotenv_is_read_in_development_only(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    # isolated_environment made the test's temporary directory the working directory.
    Path(".env").write_text(f"DATABASE_URL={database_url}\n", encoding="utf-8")

    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert problem_names(raised.value) == {"DATABASE_URL"}

    monkeypatch.setenv("APP_ENV", "development")
    assert load_settings().database_url.get_secret_value() == database_url


def test_database_url_is_masked_when_printed(
    monkeypatch: pytest.MonkeyPatch, database_url_holding: Callable[[str], str]
) -> None:
    url_with_canary = database_url_holding(CANARY)
    monkeypatch.setenv("DATABASE_URL", url_with_canary)

    settings = load_settings()

    assert CANARY not in repr(settings)
    assert CANARY not in str(settings)
    assert settings.database_url.get_secret_value() == url_with_canary
