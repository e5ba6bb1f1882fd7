"""What every remote secrets source (doppler, vault, aws) does: it overrides the
environment, and an unreachable, refusing or plain-http source stops the service with
the variable named and no credential printed."""

import pytest

from ...cli import main
from ...core.settings import load_settings
from ..helpers import REFUSED_CANARY, PublishSettings, RemoteSource, free_port, load_problems


def test_the_source_overrides_the_environment(
    publish_settings: PublishSettings,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    unreachable_database_url: str,
) -> None:
    monkeypatch.setenv("DATABASE_URL", unreachable_database_url)
    publish_settings({"DATABASE_URL": database_url})

    assert load_settings().database_url.get_secret_value() == database_url


def test_unreachable_source_is_named(
    monkeypatch: pytest.MonkeyPatch, remote_source: RemoteSource
) -> None:
    monkeypatch.setenv(remote_source.address_variable, f"http://127.0.0.1:{free_port()}")

    assert load_problems() == [
        f"{remote_source.address_variable}: {remote_source.unreachable_problem}"
    ]


@pytest.mark.parametrize("command", ["check-config", "serve"])
def test_refused_credentials_stop_the_service_without_printing_them(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    remote_source: RemoteSource,
    command: str,
) -> None:
    for name, value in remote_source.refused_credentials.items():
        monkeypatch.setenv(name, value)

    assert main([command]) == 1

    output = capsys.readouterr()
    assert remote_source.refused_problem in output.err
    assert REFUSED_CANARY not in output.out + output.err


def test_plain_http_to_another_host_is_refused(
    monkeypatch: pytest.MonkeyPatch, remote_source: RemoteSource
) -> None:
    monkeypatch.setenv(remote_source.address_variable, "http://secrets.example.com:8200")

    assert load_problems() == [
        f"{remote_source.address_variable}: must be an https:// URL (plain http only to localhost)"
    ]
