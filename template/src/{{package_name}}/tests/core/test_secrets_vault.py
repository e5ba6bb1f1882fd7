"""The vault source against a real OpenBao server: AppRole or token login, KV v2, fail closed."""

import pytest

from ...cli import main
from ...core.settings import SettingsError, load_settings
from ..fixtures.secrets_vault import MOUNT, OpenBao
from ..helpers import PublishSettings, free_port

CANARY = "canary-S3cr3t-7b41"


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
    monkeypatch.setenv("VAULT_ADDR", f"http://127.0.0.1:{free_port()}")

    assert load_problems() == ["VAULT_ADDR: Vault is unreachable (ConnectionError)"]


@pytest.mark.parametrize("command", ["check-config", "serve"])
def test_refused_credentials_stop_the_service_without_printing_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    monkeypatch.setenv("VAULT_SECRET_ID", CANARY)

    assert main([command]) == 1

    output = capsys.readouterr()
    assert "VAULT_SECRET_ID: was refused by Vault (AppRole login)" in output.err
    assert CANARY not in output.out + output.err


def test_denied_read_is_named(monkeypatch: pytest.MonkeyPatch, openbao: OpenBao) -> None:
    openbao.admin().secrets.kv.v2.create_or_update_secret(
        path="other-service/settings", secret={"DATABASE_URL": CANARY}, mount_point=MOUNT
    )
    monkeypatch.setenv("VAULT_PATH", "other-service/settings")

    assert load_problems() == ["VAULT_PATH: may not be read with these credentials"]


def test_missing_secret_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULT_PATH", "services/does-not-exist")

    assert load_problems() == ["VAULT_PATH: names no secret in VAULT_MOUNT"]


@pytest.mark.parametrize(
    ("unset", "named"),
    [
        ("VAULT_ADDR", "VAULT_ADDR"),
        ("VAULT_PATH", "VAULT_PATH"),
        ("VAULT_SECRET_ID", "VAULT_SECRET_ID"),
        ("VAULT_ROLE_ID", "VAULT_TOKEN"),  # neither AppRole nor a token
    ],
)
def test_missing_bootstrap_variable_is_named(
    monkeypatch: pytest.MonkeyPatch, unset: str, named: str
) -> None:
    monkeypatch.delenv(unset)

    assert load_problems() == [f"{named}: is required"]


def test_plain_http_to_another_host_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULT_ADDR", "http://vault.example.com:8200")

    assert load_problems() == ["VAULT_ADDR: must be an https:// URL (plain http only to localhost)"]


def test_refused_token_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VAULT_ROLE_ID")
    monkeypatch.setenv("VAULT_TOKEN", CANARY)

    assert load_problems() == ["VAULT_TOKEN: was refused by Vault"]


class TestRootToken:
    @pytest.fixture(autouse=True)
    def root_token(
        self, monkeypatch: pytest.MonkeyPatch, openbao: OpenBao, database_url: str
    ) -> None:
        monkeypatch.delenv("VAULT_ROLE_ID")
        monkeypatch.setenv("VAULT_TOKEN", openbao.root_token)
        monkeypatch.setenv("DATABASE_URL", database_url)

    @pytest.mark.parametrize("app_env", [None, "production"])
    def test_refused_in_production(
        self, monkeypatch: pytest.MonkeyPatch, app_env: str | None
    ) -> None:
        if app_env is not None:
            monkeypatch.setenv("APP_ENV", app_env)

        assert load_problems() == [
            "VAULT_TOKEN: is a root token, refused in production: use AppRole"
        ]

    def test_accepted_in_development(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("APP_ENV", "development")

        assert load_settings().is_development
