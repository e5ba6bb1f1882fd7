"""The aws source against moto's Secrets Manager with IAM on: one JSON secret, fail closed."""

import pytest

from ...cli import main
from ..fixtures.secrets_aws import Moto
from ..helpers import load_problems

CANARY = "canary-S3cr3t-9e27"


@pytest.mark.usefixtures("database_in_env")
def test_credential_lookup_is_not_logged(capsys: pytest.CaptureFixture[str]) -> None:

    assert main(["check-config"]) == 0

    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("Configuration is valid")


def test_denied_read_is_named(monkeypatch: pytest.MonkeyPatch, moto: Moto) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", moto.outsider.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", moto.outsider.secret_access_key)

    [problem] = load_problems()

    assert problem.startswith("AWS_SECRETS_ID: could not be read (")
    assert problem.endswith("): check the credentials and policy")


def test_missing_secret_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRETS_ID", "services/does-not-exist")

    assert load_problems() == ["AWS_SECRETS_ID: names no secret in this account and region"]


@pytest.mark.parametrize("secret_string", ["not json", '["a list"]'])
def test_secret_that_is_not_a_json_object_is_refused(
    monkeypatch: pytest.MonkeyPatch, moto: Moto, secret_string: str
) -> None:
    monkeypatch.setenv("AWS_SECRETS_ID", moto.create_secret(secret_string))

    assert load_problems() == ["AWS_SECRETS_ID: must hold one JSON object of settings"]


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
