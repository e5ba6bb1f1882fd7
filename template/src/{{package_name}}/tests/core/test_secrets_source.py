"""Whatever the secrets source, the service sees one Settings, and refuses to start on a
missing, placeholder or weak secret, naming it but never its value.

`publish_settings` (fixtures/secrets_*.py) puts values where the chosen source reads them.
"""

import pytest
from pydantic import SecretStr

from ...cli import main
from ...core.choices import dialect
from ...core.secrets.rules import is_signing_key
from ...core.settings import Settings, SettingsError, load_settings
from ..conftest import SettingsFactory
from ..helpers import PublishSettings

CANARY = "canary-S3cr3t-5d0e"


def as_text(value: object) -> str:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, tuple):
        return ",".join(str(item) for item in value)
    return str(value)


@pytest.fixture
def expected(make_settings: SettingsFactory) -> Settings:
    return make_settings(cors_origins=("https://app.example.com",), max_body_bytes=2048)


@pytest.fixture
def valid_settings(expected: Settings) -> dict[str, str]:
    """The test settings as a source holds them: one text value per setting."""
    return {name.upper(): as_text(getattr(expected, name)) for name in expected.model_fields_set}


def problem_names(error: SettingsError) -> set[str]:
    return {problem.name for problem in error.problems}


def test_settings_come_from_the_source(
    publish_settings: PublishSettings, valid_settings: dict[str, str], expected: Settings
) -> None:
    publish_settings(valid_settings)

    settings = load_settings()

    assert settings.model_dump() == expected.model_dump()
    assert isinstance(settings.database_url, SecretStr)


def test_setting_missing_from_the_source_is_named(
    publish_settings: PublishSettings, valid_settings: dict[str, str]
) -> None:
    del valid_settings["DATABASE_URL"]
    publish_settings(valid_settings)

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert [str(problem) for problem in raised.value.problems] == ["DATABASE_URL: is required"]


def test_placeholders_and_weak_keys_are_refused_without_their_values(
    publish_settings: PublishSettings, valid_settings: dict[str, str]
) -> None:
    # Every signing key the service has (JWT_SECRET with auth=jwt) gets a short value.
    weak_keys = {name: CANARY for name in valid_settings if is_signing_key(name)}
    publish_settings({**valid_settings, "DATABASE_URL": dialect.URL_FORM, **weak_keys})

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert problem_names(raised.value) == {"DATABASE_URL", *weak_keys}
    assert "placeholder" in str(raised.value)
    assert dialect.URL_FORM not in str(raised.value)
    assert CANARY not in str(raised.value)


@pytest.mark.parametrize("command", ["check-config", "serve", "migrate"])
def test_commands_stop_on_a_placeholder_and_name_it(
    publish_settings: PublishSettings,
    valid_settings: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    publish_settings({**valid_settings, "DATABASE_URL": dialect.URL_FORM})

    assert main([command]) == 1

    output = capsys.readouterr()
    assert "DATABASE_URL: is a placeholder" in output.err
    assert dialect.URL_FORM not in output.out + output.err


def test_check_config_accepts_the_source_without_printing_values(
    publish_settings: PublishSettings,
    valid_settings: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    publish_settings(valid_settings)

    assert main(["check-config"]) == 0

    output = capsys.readouterr()
    # One line, and no log line from the source's client library.
    assert output.out.startswith("Configuration is valid")
    assert output.out.count("\n") == 1
    assert valid_settings["DATABASE_URL"] not in output.out + output.err
