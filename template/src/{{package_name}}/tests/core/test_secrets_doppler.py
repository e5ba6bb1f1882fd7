"""The doppler source against a stand-in of Doppler's API: token, download, fail closed."""

import pytest

from ...cli import main
from ...core.settings import SettingsError, load_settings
from ..fixtures.secrets_doppler import DopplerStandIn
from ..helpers import PublishSettings, free_port

CANARY = "canary-S3cr3t-2c9d"


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


def test_unreachable_source_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOPPLER_API_URL", f"http://127.0.0.1:{free_port()}")

    assert load_problems() == ["DOPPLER_API_URL: Doppler is unreachable (ConnectError)"]


@pytest.mark.parametrize("command", ["check-config", "serve"])
def test_refused_credentials_stop_the_service_without_printing_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    monkeypatch.setenv("DOPPLER_TOKEN", f"dp.st.prd.{CANARY}")

    assert main([command]) == 1

    output = capsys.readouterr()
    assert "DOPPLER_TOKEN: was refused by Doppler (HTTP 401)" in output.err
    assert CANARY not in output.out + output.err


def test_denied_read_is_named(monkeypatch: pytest.MonkeyPatch, doppler: DopplerStandIn) -> None:
    token = doppler.new_token({"DATABASE_URL": CANARY})
    doppler.tokens_without_access.add(token)
    monkeypatch.setenv("DOPPLER_TOKEN", token)

    assert load_problems() == ["DOPPLER_TOKEN: was refused by Doppler (HTTP 403)"]


def test_wrong_api_is_named(monkeypatch: pytest.MonkeyPatch, doppler: DopplerStandIn) -> None:
    monkeypatch.setenv("DOPPLER_API_URL", f"{doppler.url}/not-doppler")

    assert load_problems() == ["DOPPLER_API_URL: Doppler answered HTTP 404"]


def test_missing_bootstrap_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOPPLER_TOKEN")

    assert load_problems() == ["DOPPLER_TOKEN: is required"]


def test_plain_http_to_another_host_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOPPLER_API_URL", "http://doppler.example.com")

    assert load_problems() == [
        "DOPPLER_API_URL: must be an https:// URL (plain http only to localhost)"
    ]
