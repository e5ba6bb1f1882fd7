"""The aws source against moto's Secrets Manager with IAM on: one JSON secret, fail closed."""

import pytest

from ...cli import main
from ...core.settings import SettingsError, load_settings
from ..fixtures.secrets_aws import Moto
from ..helpers import PublishSettings, free_port

CANARY = "canary-S3cr3t-9e27"


def load_problems() -> list[str]:
    with pytest.raises(SettingsError) as raised:
        load_settings()
    return [str(problem) for problem in raised.value.problems]


def test_the_source_overrides_the_environment(
    publish_settings: PublishSettings,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    unreachable_database_url: str,
) -> None:
    monkeypatch.setenv("DATABASE_URL", unreachable_database_url)
    publish_settings({"DATABASE_URL": database_url})

    assert load_settings().database_url.get_secret_value() == database_url


@pytest.mark.usefixtures("new_credentials")
def test_credential_lookup_is_not_logged(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["check-config"]) == 0

    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("Configuration is valid")


def test_unreachable_source_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")

    assert load_problems() == [
        "AWS_ENDPOINT_URL: Secrets Manager is unreachable (EndpointConnectionError)"
    ]


@pytest.mark.usefixtures("new_credentials")
def test_denied_read_is_named(monkeypatch: pytest.MonkeyPatch, moto: Moto) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", moto.outsider.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", moto.outsider.secret_access_key)

    [problem] = load_problems()

    assert problem.startswith("AWS_SECRETS_ID: could not be read (")
    assert problem.endswith("): check the credentials and policy")


@pytest.mark.usefixtures("new_credentials")
@pytest.mark.parametrize("command", ["check-config", "serve"])
def test_refused_credentials_stop_the_service_without_printing_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "unknown-access-key-id")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CANARY)

    assert main([command]) == 1

    output = capsys.readouterr()
    assert "AWS_SECRETS_ID: could not be read (" in output.err
    assert CANARY not in output.out + output.err


def test_missing_secret_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRETS_ID", "services/does-not-exist")

    assert load_problems() == ["AWS_SECRETS_ID: names no secret in this account and region"]


@pytest.mark.parametrize("secret_string", ["not json", '["a list"]'])
def test_secret_that_is_not_a_json_object_is_refused(
    monkeypatch: pytest.MonkeyPatch, moto: Moto, secret_string: str
) -> None:
    monkeypatch.setenv("AWS_SECRETS_ID", moto.create_secret(secret_string))

    assert load_problems() == ["AWS_SECRETS_ID: must hold one JSON object of settings"]


@pytest.mark.usefixtures("new_credentials")
@pytest.mark.parametrize(
    ("unset", "problem"),
    [
        ("AWS_SECRETS_ID", "AWS_SECRETS_ID: is required"),
        ("AWS_REGION", "AWS_REGION: is required"),
        ("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID: no AWS credentials found in the default chain"),
    ],
)
def test_missing_bootstrap_variable_is_named(
    monkeypatch: pytest.MonkeyPatch, unset: str, problem: str
) -> None:
    monkeypatch.delenv(unset)

    assert load_problems() == [problem]


def test_plain_http_to_another_host_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localstack.example.com:4566")

    assert load_problems() == [
        "AWS_ENDPOINT_URL: must be an https:// URL (plain http only to localhost)"
    ]
